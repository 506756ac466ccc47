import { type Keys, PdfSyntax, type Refs } from "./print-syntax.ts";

/**
 * A statement PDF as omnidoc's writer (pdfkit) saves it, read for a print file's merge: one classic
 * cross-reference table, its objects found through it only as the merge asks for them (the structure tree, the
 * metadata and the rest of a statement that no page refers to are never read).
 */

/** One indirect object: its value's text, its references, a dictionary's keys, a stream's data. */
export interface SourceObject {
  start: number;
  end: number;
  refs: Refs;
  keys: Keys;
  /** The stream's data, as stored, when the object is a stream. */
  stream?: [start: number, end: number];
}

/** Keys a page may inherit from its page tree (ISO 32000-1 §7.7.3.4): a page that does is not copied as is. */
const INHERITED = ["/Resources", "/MediaBox", "/CropBox", "/Rotate"];
const ENTRY = 20;

export class StatementPdf {
  /** The page objects, in order. */
  readonly pages: number[];
  /** One more than the highest object number. */
  readonly size: number;
  /** The page tree's root. */
  private readonly tree: SourceObject;
  private readonly read: (SourceObject | undefined)[] = [];

  private constructor(
    readonly syntax: PdfSyntax,
    private readonly entries: number,
    size: number,
    trailer: Keys,
  ) {
    this.size = size;
    const catalog = this.referenced(trailer, "/Root", "trailer");
    this.tree = this.referenced(catalog.keys, "/Pages", "catalog");
    const kids = this.tree.keys.get("/Kids");
    if (!kids) syntax.fail("the page tree has no /Kids", this.tree.start);
    this.pages = [];
    const { refs } = this.tree;
    for (let i = 0; i < refs.length; i += 4)
      if (refs[i]! >= kids[0] && refs[i + 1]! <= kids[1]) this.pages.push(refs[i + 2]!);
  }

  /**
   * The statement in `bytes` (`file` names it in errors), or why it is not in the shape the fast merge reads:
   * then pdf-lib copies it. A file in that shape whose parts do not hold together throws, naming the file.
   */
  static read(bytes: Uint8Array, file: string): StatementPdf | string {
    const syntax = new PdfSyntax(bytes, file);
    if (syntax.latin1(0, 5) !== "%PDF-") syntax.fail("is not a PDF: it does not start with %PDF-", 0);
    const tail = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    const startxref = tail.lastIndexOf("startxref", bytes.length - 1, "latin1");
    if (startxref < 0 || bytes.length - startxref > 1024 || tail.indexOf("%%EOF", startxref, "latin1") < 0)
      syntax.fail("has no startxref and %%EOF at its end: the file is cut short", bytes.length);
    const offsetAt = syntax.skipSpace(startxref + 9);
    const xref = syntax.integer(offsetAt, syntax.tokenEnd(offsetAt));
    if (xref >= startxref) syntax.fail(`startxref gives ${xref}, beyond the file's cross-reference table`, offsetAt);
    // Object streams and PDF 1.5 cross-reference streams: written by other producers, never by the writer.
    if (isDigit(bytes[xref])) return "its cross-references are a stream";
    if (!syntax.isKeyword(xref, "xref")) syntax.fail("startxref does not point at a cross-reference table", xref);
    const first = syntax.skipSpace(xref + 4);
    const countAt = syntax.skipSpace(syntax.tokenEnd(first));
    const countEnd = syntax.tokenEnd(countAt);
    const size = syntax.integer(countAt, countEnd);
    if (syntax.integer(first, syntax.tokenEnd(first)) !== 0) return "its cross-reference table does not start at 0";
    const entries = syntax.skipSpace(countEnd);
    const trailerAt = syntax.skipSpace(entries + size * ENTRY);
    if (!syntax.isKeyword(trailerAt, "trailer")) {
      if (isDigit(bytes[trailerAt])) return "its cross-reference table has several sections";
      syntax.fail(`its cross-reference table does not hold the ${size} entries it announces`, entries);
    }
    const trailer: Keys = new Map();
    syntax.value(trailerAt + 7, [], trailer);
    // Encrypted, updated incrementally, or a hybrid of both kinds of cross-references: not the writer's.
    for (const key of ["/Encrypt", "/Prev", "/XRefStm"]) if (trailer.has(key)) return `its trailer has ${key}`;
    const pdf = new StatementPdf(syntax, entries, size, trailer);
    for (const key of INHERITED) if (pdf.tree.keys.has(key)) return `its page tree gives its pages ${key}`;
    for (const page of pdf.pages)
      if (pdf.name(pdf.object(page), "/Type") !== "/Page") return "its page tree has more than one level";
    return pdf;
  }

  /** Object `n`, read from where the cross-reference table puts it. */
  object(n: number, gen = 0): SourceObject {
    const known = this.read[n];
    if (known) return known;
    const { syntax } = this;
    const b = syntax.bytes;
    const entry = this.entries + n * ENTRY;
    if (n <= 0 || n >= this.size || b[entry + 17] !== 110 || syntax.integer(entry + 11, entry + 16) !== gen)
      syntax.fail(`refers to object ${n} ${gen} R, which its cross-reference table does not hold`, entry);
    const at = syntax.integer(entry, entry + 10);
    const numEnd = syntax.tokenEnd(at);
    const genAt = syntax.skipSpace(numEnd);
    const objAt = syntax.skipSpace(syntax.tokenEnd(genAt));
    if (!isDigit(b[at]) || syntax.integer(at, numEnd) !== n || !syntax.isKeyword(objAt, "obj"))
      syntax.fail(`object ${n} is not where its cross-reference table says`, at);
    const refs: Refs = [];
    const keys: Keys = new Map();
    const start = syntax.skipSpace(objAt + 3);
    const end = syntax.value(start, refs, keys);
    const after = syntax.skipSpace(end);
    const object: SourceObject = { start, end, refs, keys };
    if (syntax.isKeyword(after, "stream")) {
      let data = after + 6;
      data += b[data] === 13 && b[data + 1] === 10 ? 2 : 1;
      const dataEnd = data + this.streamLength(object);
      if (!syntax.isKeyword(syntax.skipSpace(dataEnd), "endstream"))
        syntax.fail(`object ${n}'s stream does not end where its /Length says`, dataEnd);
      object.stream = [data, dataEnd];
    } else if (!syntax.isKeyword(after, "endobj")) syntax.fail(`object ${n} has no endobj`, after);
    this.read[n] = object;
    return object;
  }

  /** A name value of a dictionary (`/Page`), or undefined. */
  name(object: SourceObject, key: string): string | undefined {
    const span = object.keys.get(key);
    return span && this.syntax.bytes[span[0]] === 47 ? this.syntax.latin1(span[0], span[1]) : undefined;
  }

  private streamLength(object: SourceObject): number {
    const span = object.keys.get("/Length");
    if (!span) this.syntax.fail("a stream has no /Length", object.start);
    const { refs } = object;
    for (let i = 0; i < refs.length; i += 4)
      if (refs[i] === span[0]) {
        const length = this.object(refs[i + 2]!, refs[i + 3]);
        return this.syntax.integer(length.start, length.end);
      }
    return this.syntax.integer(span[0], span[1]);
  }

  /** The object a dictionary's `key` refers to. */
  private referenced(keys: Keys, key: string, where: string): SourceObject {
    const span = keys.get(key);
    const refs: Refs = [];
    if (span) this.syntax.value(span[0], refs);
    if (refs.length !== 4) this.syntax.fail(`the ${where} has no ${key} reference`, span?.[0] ?? 0);
    return this.object(refs[2]!, refs[3]);
  }
}

const isDigit = (c: number | undefined) => c !== undefined && c >= 48 && c <= 57;
