import PDFDocument from "pdfkit";
import { FACES, type FaceName, type FontSet } from "../fonts.ts";
import type { Deflater } from "../../../core/index.ts";
import {
  type PdfkitEmbeddedFont,
  batchContent,
  gatherOutput,
  registerFace,
  replaceXmpInfo,
  setFileId,
  writeObjectsAt,
} from "./pdfkit-internals.ts";
import { encodeFromShapedWords } from "./face-encoding.ts";
import { type DocumentFacts, xmpDescriptions } from "./xmp.ts";

export interface PdfMeta {
  title: string;
  author: string;
  subject: string;
  /** BCP 47 language of the document (`fr-FR`). */
  lang: string;
  /** `YYYY-MM-DD`: the document's creation and modification dates come from the run, never the clock. */
  runDate: string;
  /** 32 hex digits from a hash of the inputs: the file identifier, the same for the same inputs. */
  id: string;
  pdfa: boolean;
  tagged: boolean;
}

export interface OpenPdf {
  doc: PDFKit.PDFDocument;
  /** The root structure element, when tagged. */
  root?: PDFKit.PDFStructureElement;
  /** Ends the document and resolves with its bytes. */
  finish(): Promise<Uint8Array>;
}

/** `parts` in one plain byte array of its own (not a view of a larger buffer). */
function joined(parts: Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.length;
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  return bytes;
}

/**
 * Opens a deterministic pdfkit document with the theme's faces registered under their face names; its
 * streams are compressed by `deflater`, which the thread's documents share.
 */
export function openPdf(meta: PdfMeta, fonts: FontSet, deflater: Deflater): OpenPdf {
  const date = new Date(`${meta.runDate}T00:00:00Z`);
  const facts: DocumentFacts = {
    title: meta.title,
    author: meta.author,
    subject: meta.subject,
    creator: "omnidoc",
    producer: "omnidoc",
    created: date,
    modified: date,
    pdfa: meta.pdfa,
  };
  const doc = new PDFDocument({
    autoFirstPage: false,
    margin: 0,
    compress: true,
    pdfVersion: "1.7",
    // No default font: pdfkit would parse Helvetica's metrics for every document.
    font: null as unknown as string,
    tagged: meta.tagged,
    lang: meta.lang,
    displayTitle: true,
    ...(meta.pdfa ? { subset: "PDF/A-3b" as const } : {}),
    // The XMP packet (xmp.ts) says the same from the same facts.
    info: {
      Title: facts.title,
      Author: facts.author,
      ...(facts.subject ? { Subject: facts.subject } : {}),
      Creator: facts.creator,
      Producer: facts.producer,
      CreationDate: facts.created,
      ModDate: facts.modified,
    },
  });
  replaceXmpInfo(doc, xmpDescriptions(facts));
  batchContent(doc);
  writeObjectsAt(doc, deflater);
  setFileId(doc, Buffer.from(meta.id.slice(0, 32), "hex"));
  const faces = new Map<PdfkitEmbeddedFont, FaceName[]>();
  for (const name of FACES) {
    const embedded = registerFace(doc, fonts[name].font, name);
    faces.set(embedded, [...(faces.get(embedded) ?? []), name]);
  }
  for (const [embedded, names] of faces) {
    embedded.layoutCache = fonts[names[0]].pdfkitWords;
    encodeFromShapedWords(doc, embedded, fonts[names[0]], deflater);
  }
  // pdfkit's header came out of its stream as it opened; the rest is gathered.
  const chunks: Uint8Array[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const written = gatherOutput(doc);
  const ended = new Promise<Uint8Array>((resolve, reject) => {
    doc.on("end", () => resolve(joined([...chunks, written()])));
    doc.on("error", reject);
  });
  let root: PDFKit.PDFStructureElement | undefined;
  if (meta.tagged) {
    root = doc.struct("Document");
    doc.addStructure(root);
  }
  return {
    doc,
    root,
    finish() {
      root?.end();
      doc.end();
      return ended;
    },
  };
}
