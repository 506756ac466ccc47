import type * as fontkit from "fontkit";
import type { Deflater } from "../../../core/index.ts";
import { pdfObject } from "./pdf-objects.ts";
import type { WordPart } from "./text-parts.ts";

/**
 * The one door to the private members of pdfkit (0.20.2) and fontkit (2.0.4) that the paint layer relies on.
 * Both are pinned exactly; `RELIED_ON` lists every member with why it is needed, and a test checks each on a
 * real document and font, so an upgrade that moves one fails there by name instead of changing bytes.
 * Nothing else in the paint layer casts a pdfkit object: it takes the typed views below.
 */

/** A shaped run in the form pdfkit caches per word (positions in 1/1000 em, each with its advance width). */
export interface PdfkitShapedRun {
  glyphs: fontkit.Glyph[];
  positions: Record<string, number>[];
  advanceWidth: number;
  /** Not pdfkit's: the word's part of a TJ operand, made once a thread (face-encoding.ts). */
  part?: WordPart;
}

/** A glyph position as pdfkit's `EmbeddedFont.encode` returns it, in 1/1000 em. */
export interface PdfkitGlyphPosition {
  xAdvance: number;
  advanceWidth: number;
  xOffset: number;
  yOffset: number;
}

/** pdfkit's `EmbeddedFont`: one face of one document. */
export interface PdfkitEmbeddedFont {
  id: string;
  layoutCache?: Record<string, PdfkitShapedRun>;
  /** The face's font dictionary (made on first use). */
  ref(): PdfkitReference;
  encode(text: string): [string[], PdfkitGlyphPosition[]];
  embed(): void;
  /**
   * Not pdfkit's: added to each face of a document (face-encoding.ts). A run's TJ operand, `""` for a run
   * of no glyphs, undefined when a glyph is offset from its place (a positioned mark).
   */
  textArray(text: string): string | undefined;
}

/** pdfkit's `PDFReference`: an indirect object, of which a font program's stream is one. */
export interface PdfkitReference {
  id: number;
  gen: number;
  /** Where the object starts in the file, for the cross-reference table. */
  offset: number;
  compress: boolean;
  data: Record<string, unknown>;
  /** The stream's chunks as written, joined and compressed by `finalize`. */
  buffer: Uint8Array[];
  finalize(): void;
  /** Writes `chunk` (a string gets a newline) and finalizes. */
  end(chunk?: Uint8Array | string): void;
}

/** pdfkit's `PDFPage`. */
export interface PdfkitPage {
  fonts: Record<string, unknown>;
  write(chunk: Uint8Array | string): void;
}

/** pdfkit's `PDFDocument`, with the members the paint layer reads, writes or replaces. */
export interface PdfkitDocument {
  page: PdfkitPage;
  _id: Uint8Array;
  _font: PdfkitEmbeddedFont;
  _fontSize: number;
  _fontFamilies: Record<string, PdfkitEmbeddedFont>;
  addContent(data: string): unknown;
  flushPages(): void;
  _addInfo(): void;
  appendXML(xml: string): void;
  ref(data?: Record<string, unknown>): PdfkitReference;
  _write(data: Uint8Array | string): void;
  _offset: number;
  /** Records an object's offset once written; pdfkit finishes the file after the last. */
  _refEnd(ref: PdfkitReference): void;
  /** Set when the document is encrypted (never for statements). */
  _security?: unknown;
}

/** `buffer`: a byte array (pdfkit writes a Uint8Array as a hex string). */
export type MemberKind = "function" | "object" | "array" | "buffer" | "number" | "string" | "boolean";

/** The pdfkit or fontkit object a relied-on member belongs to. */
export type InternalOwner =
  | "pdfkit PDFDocument"
  | "pdfkit PDFPage"
  | "pdfkit EmbeddedFont"
  | "pdfkit PDFReference"
  | "pdfkit PDFStructureElement"
  | "fontkit Font"
  | "fontkit Glyph";

export interface ReliedMember {
  owner: InternalOwner;
  member: string;
  kind: MemberKind;
  why: string;
}

/** Every private member the paint layer touches, one entry a member. */
export const RELIED_ON: readonly ReliedMember[] = [
  {
    owner: "pdfkit PDFDocument",
    member: "addContent",
    kind: "function",
    why: "replaced to keep a page's operators as strings (document.ts)",
  },
  {
    owner: "pdfkit PDFDocument",
    member: "flushPages",
    kind: "function",
    why: "wrapped to write a page's operators as one buffer before pdfkit ends the page",
  },
  {
    owner: "pdfkit PDFDocument",
    member: "page",
    kind: "object",
    why: "the current page, whose content stream and font resources text runs write to",
  },
  {
    owner: "pdfkit PDFDocument",
    member: "_id",
    kind: "buffer",
    why: "the file identifier, set from the inputs' hash instead of the clock-dated info",
  },
  {
    owner: "pdfkit PDFDocument",
    member: "_write",
    kind: "function",
    why: "replaced to gather the file's bytes instead of pushing each line through pdfkit's stream (gatherOutput)",
  },
  {
    owner: "pdfkit PDFDocument",
    member: "_offset",
    kind: "number",
    why: "the bytes written so far, whose positions the cross-reference table gives: kept by gatherOutput",
  },
  {
    owner: "pdfkit PDFDocument",
    member: "_addInfo",
    kind: "function",
    why: "replaced to write the XMP descriptions of the Info dictionary escaped, with ModifyDate and pdfuaid",
  },
  {
    owner: "pdfkit PDFDocument",
    member: "appendXML",
    kind: "function",
    why: "adds those descriptions inside the XMP packet pdfkit writes at the end",
  },
  {
    owner: "pdfkit PDFDocument",
    member: "_font",
    kind: "object",
    why: "the current face, whose encoding text runs write with",
  },
  {
    owner: "pdfkit PDFDocument",
    member: "_fontSize",
    kind: "number",
    why: "the current size, written into a text run's Tf operator",
  },
  {
    owner: "pdfkit PDFDocument",
    member: "_fontFamilies",
    kind: "object",
    why: "faces by name: a second name for a face pdfkit already has is added here",
  },
  {
    owner: "pdfkit PDFDocument",
    member: "ref",
    kind: "function",
    why: "makes the indirect objects of a face's subset, and is wrapped to write objects (writeObjectsAt)",
  },
  {
    owner: "pdfkit PDFDocument",
    member: "_refEnd",
    kind: "function",
    why: "called as pdfkit's finalize calls it once an object is written (writeObjectsAt)",
  },
  {
    owner: "pdfkit PDFPage",
    member: "fonts",
    kind: "object",
    why: "the page's font resources, where a text run names its face",
  },
  { owner: "pdfkit PDFPage", member: "write", kind: "function", why: "appends to the page's content stream" },
  {
    owner: "pdfkit EmbeddedFont",
    member: "id",
    kind: "string",
    why: "the resource name a text run selects the face by",
  },
  {
    owner: "pdfkit EmbeddedFont",
    member: "layoutCache",
    kind: "object",
    why: "pdfkit's word-shaping cache, replaced by the face's cache that measuring fills",
  },
  {
    owner: "pdfkit EmbeddedFont",
    member: "ref",
    kind: "function",
    why: "the face's font dictionary, named in the page's resources and filled when the face embeds",
  },
  {
    owner: "pdfkit EmbeddedFont",
    member: "encode",
    kind: "function",
    why: "replaced to give glyph ids as codes from the face's shaped words (face-encoding.ts)",
  },
  {
    owner: "pdfkit EmbeddedFont",
    member: "embed",
    kind: "function",
    why: "replaced to embed the subset written here, its codes the glyph ids (subsets.ts)",
  },
  {
    owner: "pdfkit PDFReference",
    member: "compress",
    kind: "boolean",
    why: "off for a font program that is already compressed (pdfkit turns it off for a stream with a Filter)",
  },
  {
    owner: "pdfkit PDFReference",
    member: "data",
    kind: "object",
    why: "the dictionary of an object: a face's is filled when it embeds, a table cell's given attributes",
  },
  {
    owner: "pdfkit PDFReference",
    member: "buffer",
    kind: "array",
    why: "a stream's chunks, compressed at the document's deflate level before pdfkit writes them",
  },
  {
    owner: "pdfkit PDFReference",
    member: "finalize",
    kind: "function",
    why: "replaced to write the object with pdfObject and its stream at the document's deflate level",
  },
  {
    owner: "pdfkit PDFReference",
    member: "id",
    kind: "number",
    why: "the object's number, written as pdfkit's finalize writes it (writeObjectsAt)",
  },
  {
    owner: "pdfkit PDFReference",
    member: "gen",
    kind: "number",
    why: "the object's generation, written with its number (writeObjectsAt)",
  },
  {
    owner: "pdfkit PDFReference",
    member: "end",
    kind: "function",
    why: "writes a stream's data (a subset's program, maps) and finalizes the object",
  },
  {
    owner: "pdfkit PDFStructureElement",
    member: "dictionary",
    kind: "object",
    why: "the element's dictionary, given the Table attributes (Scope, ColSpan) pdfkit's options lack",
  },
  {
    owner: "fontkit Font",
    member: "layout",
    kind: "function",
    why: "pdfkit takes a parsed font for any object with layout(), so faces are parsed once",
  },
  {
    owner: "fontkit Glyph",
    member: "codePoints",
    kind: "array",
    why: "a glyph's text, written into the ToUnicode map",
  },
  {
    owner: "fontkit Font",
    member: "numGlyphs",
    kind: "number",
    why: "the size of a document's marks of the glyphs it paints, by glyph id",
  },
];

/** The members of `doc` the paint layer relies on. */
export function pdfkitDocument(doc: PDFKit.PDFDocument): PdfkitDocument {
  return doc as unknown as PdfkitDocument;
}

/**
 * Sets the file identifier: pdfkit derives it from the info dictionary; ours comes from the inputs' hash.
 */
export function setFileId(doc: PDFKit.PDFDocument, id: Buffer): void {
  pdfkitDocument(doc)._id = id;
}

/** Table attributes of a structure element: the Scope of a header cell, the ColSpan of a wide cell. */
export function setTableAttributes(
  el: PDFKit.PDFStructureElement,
  attributes: { Scope?: "Column" | "Row"; ColSpan?: number },
): void {
  (el as unknown as { dictionary: PdfkitReference }).dictionary.data.A = { O: "Table", ...attributes };
}

/**
 * A link annotation over `box` that is a kid (OBJR) of the Link element `parent`, with its StructParent and
 * `description` as its Contents. pdfkit does this for `structParent`, which its type declarations leave out.
 */
export function taggedLink(
  doc: PDFKit.PDFDocument,
  box: { x: number; y: number; width: number; height: number },
  href: string,
  description: string,
  parent: PDFKit.PDFStructureElement,
): void {
  // A String object is a PDF text string to pdfkit; a plain string would become a name.
  const options = {
    Contents: new String(description),
    structParent: parent,
  } as unknown as PDFKit.Mixins.AnnotationOption;
  doc.link(box.x, box.y, box.width, box.height, href, options);
}

/**
 * Makes the XMP packet carry `descriptions` instead of pdfkit's own account of the Info dictionary, which
 * leaves out xmp:ModifyDate and the PDF/UA identifier and writes values unescaped. pdfkit's PDF/A
 * identification, added separately, stays.
 */
export function replaceXmpInfo(doc: PDFKit.PDFDocument, descriptions: string): void {
  const pdf = pdfkitDocument(doc);
  pdf._addInfo = () => pdf.appendXML(descriptions);
}

/**
 * pdfkit turns every operator it writes into a byte array of its own, a few thousand a page; here a page's
 * operators are kept as strings and written as one buffer when pdfkit ends the page (before it closes the
 * page's marked content, which it writes directly).
 */
export function batchContent(doc: PDFKit.PDFDocument): void {
  const pdf = pdfkitDocument(doc);
  const flushPages = pdf.flushPages.bind(pdf);
  let pending: string[] = [];
  pdf.addContent = function (data) {
    pending.push(data);
    return this;
  };
  pdf.flushPages = () => {
    if (pending.length > 0) {
      pending.push("");
      // pdfkit's content strings are binary strings: latin1 keeps the low byte of each, as pdfkit does.
      pdf.page.write(Buffer.from(pending.join("\n"), "latin1"));
      pending = [];
    }
    flushPages();
  };
}

/**
 * pdfkit writes the file a line at a time (an object's number, its dictionary, `stream`, `endobj`), each
 * line copied into a byte array of its own a character at a time and pushed through its Readable stream:
 * thousands of pushes a statement. From here on, what pdfkit writes is gathered instead, into one buffer
 * that doubles when full: a line straight in as bytes (binary strings: latin1 keeps the low byte of each
 * character, as pdfkit does), a binary stream copied in. `written()` gives the bytes gathered (a view of
 * that buffer), once pdfkit has ended; what it wrote before (its header) came out of the stream as before.
 */
export function gatherOutput(doc: PDFKit.PDFDocument): () => Uint8Array {
  const pdf = pdfkitDocument(doc);
  let out = Buffer.allocUnsafe(GATHERED_BYTES);
  let at = 0;
  const room = (bytes: number) => {
    if (at + bytes <= out.length) return;
    const larger = Buffer.allocUnsafe(Math.max(out.length * 2, at + bytes));
    out.copy(larger, 0, 0, at);
    out = larger;
  };
  pdf._write = (data) => {
    if (data instanceof Uint8Array) {
      room(data.length);
      out.set(data, at);
      at += data.length;
      pdf._offset += data.length;
    } else {
      room(data.length + 1);
      at += out.write(data, at, "latin1");
      out[at++] = 0x0a;
      pdf._offset += data.length + 1;
    }
  };
  return () => out.subarray(0, at);
}

/** The buffer a document's bytes are first gathered in: a statement's file is 30–60 kB. */
const GATHERED_BYTES = 64 * 1024;

/**
 * Makes every indirect object of `doc` write itself as pdfkit's `PDFReference.finalize` would, with two
 * differences that keep the bytes: its dictionary is written by `pdfObject` (pdf-objects.ts, pdfkit's syntax
 * without its per-value class tests and byte round trips), and a stream that pdfkit would compress (page
 * contents, ToUnicode maps) is compressed by `deflater`, at its level instead of zlib's default.
 */
export function writeObjectsAt(doc: PDFKit.PDFDocument, deflater: Deflater): void {
  const pdf = pdfkitDocument(doc);
  if (pdf._security) throw new Error("writeObjectsAt: an encrypted document must be written by pdfkit");
  const open = pdf.ref.bind(pdf);
  pdf.ref = (data) => {
    const ref = open(data);
    ref.finalize = () => {
      ref.offset = pdf._offset;
      let stream: Uint8Array | undefined;
      if (ref.buffer.length > 0) {
        stream = ref.buffer.length === 1 ? ref.buffer[0] : Buffer.concat(ref.buffer);
        if (ref.compress) stream = deflater.deflate(stream);
        ref.data.Length = stream.length;
        ref.buffer = [];
      }
      // pdfkit's lines, each ending in a newline, joined into as few writes as the stream allows.
      const head = `${ref.id} ${ref.gen} obj\n${pdfObject(ref.data)}`;
      // As pdfkit: a stream of no bytes is left out (its Length says 0).
      if (stream && stream.length > 0) {
        pdf._write(`${head}\nstream`);
        pdf._write(stream);
        pdf._write("\nendstream\nendobj");
      } else pdf._write(`${head}\nendobj`);
      pdf._refEnd(ref);
    };
    return ref;
  };
}

/**
 * Registers an already parsed face under `name` and returns pdfkit's embedded font for it. pdfkit does not
 * cache a second name for a face it already has (an italic face falling back to body): it is added here.
 */
export function registerFace(doc: PDFKit.PDFDocument, font: fontkit.Font, name: string): PdfkitEmbeddedFont {
  const pdf = pdfkitDocument(doc);
  doc.font(font as unknown as string, name);
  pdf._fontFamilies[name] ??= pdf._font;
  return pdf._font;
}
