import { createRequire } from "node:module";
import { dirname, join, sep } from "node:path";
import { type Canvas, createCanvas } from "@napi-rs/canvas";
import type { PDFDocumentProxy, PDFPageProxy } from "pdfjs-dist/legacy/build/pdf.mjs";
import { type Problem, type Result, fail, ok, problem } from "../core/index.ts";

export interface PdfReading {
  /** Every page (or the first only) as JPEG, when a resolution was asked for; a problem when it is out of range. */
  images?: Promise<Result<Buffer[]>>;
  /** The text of every page in reading order, for screen readers and find-in-page, when asked for. */
  texts?: Promise<string[]>;
}

export interface ReadOptions {
  /** Rasterise at this resolution; no images when absent. */
  dpi?: number;
  text?: boolean;
  firstPageOnly?: boolean;
}

/** Below 36 dpi a statement's small print is a blur; at 300 an A4 page is already 8.7 million pixels. */
export const DPI_RANGE = { min: 36, max: 300 } as const;
const JPEG_QUALITY = 92;

/**
 * Reads a PDF with pdf.js: the document is loaded once, its pages drawn onto a Skia canvas and their text taken
 * from the same parse. The studio shows the real PDF, not an HTML imitation, so what a person sees is what the
 * printer gets. At `dpi` 120 an A4 page is 993 px wide: crisp at 2x on the 496 px the studio shows it at. JPEG
 * at quality 92 keeps the text sharp and costs a third of Skia's PNG encoding (11 against 34 ms of CPU a page).
 */
export function readPdf(pdf: Uint8Array, { dpi, text = false, firstPageOnly = false }: ReadOptions): PdfReading {
  const refused = dpi === undefined ? undefined : dpiProblem(dpi);
  const refusal = refused && Promise.resolve(fail<Buffer[]>(refused));
  const drawAt = refused ? undefined : dpi;
  if (drawAt === undefined && !text) return { images: refusal };
  const loaded = loadDocument(pdf);
  const images =
    drawAt === undefined ? refusal : loaded.then(async (doc) => ok(await drawPages(doc, drawAt, firstPageOnly)));
  const texts = text ? loaded.then((doc) => pageTexts(doc, firstPageOnly)) : undefined;
  // Destroyed once both are read: until then pdf.js keeps the parsed document, its fonts and its worker's state.
  void Promise.allSettled([images, texts]).then(() =>
    loaded.then(
      (doc) => doc.destroy(),
      () => undefined,
    ),
  );
  return { images, texts };
}

/** One page (1-based) of a document's images, or a problem naming the pages it has. */
export function pageOf(images: Buffer[], page: number): Result<Buffer> {
  if (Number.isInteger(page) && page >= 1 && page <= images.length) return ok(images[page - 1]);
  return fail(
    problem(
      "OMD_PDF_PAGE_IMAGE_RANGE",
      `the document has no page ${page}`,
      "page",
      `ask for a page from 1 to ${images.length}`,
    ),
  );
}

function dpiProblem(dpi: number): Problem | undefined {
  if (Number.isInteger(dpi) && dpi >= DPI_RANGE.min && dpi <= DPI_RANGE.max) return undefined;
  return problem(
    "OMD_PDF_PAGE_IMAGE_RANGE",
    `a page cannot be drawn at ${dpi} dpi`,
    "dpi",
    `ask for a whole number of dpi from ${DPI_RANGE.min} to ${DPI_RANGE.max}`,
  );
}

/** pdf.js's data files, read from its own package folder: nothing is fetched from the network or the system. */
const PDFJS_DIR = dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json"));
const dataDir = (name: string) => `${join(PDFJS_DIR, name)}${sep}`;

const DOCUMENT_OPTIONS = {
  // pdfkit embeds every font it uses as a subset, so glyphs are drawn as paths from the file itself: no
  // FontFace (a DOM API), no system fonts, no code generated with eval for fonts or PostScript functions.
  disableFontFace: true,
  useSystemFonts: false,
  isEvalSupported: false,
  standardFontDataUrl: dataDir("standard_fonts"),
  cMapUrl: dataDir("cmaps"),
  iccUrl: dataDir("iccs"),
  wasmUrl: dataDir("wasm"),
  // Errors only: pdf.js writes its warnings to the console, which the server's log does not own.
  verbosity: 0,
};

async function loadDocument(pdf: Uint8Array): Promise<PDFDocumentProxy> {
  // Imported on first use: a server that never shows the studio never loads pdf.js's 2 MB of code.
  const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  // A copy: pdf.js transfers the buffer it is given to its worker, which would empty the caller's bytes.
  return getDocument({ ...DOCUMENT_OPTIONS, data: pdf.slice() }).promise;
}

/**
 * Pages are drawn one after another (drawing runs on this thread) while the previous page is JPEG-encoded on
 * libuv's pool, so at most two canvases are alive whatever the page count.
 */
async function drawPages(doc: PDFDocumentProxy, dpi: number, firstPageOnly: boolean): Promise<Buffer[]> {
  const images: Buffer[] = [];
  let encoding: Promise<Buffer> | undefined;
  for (let n = 1; n <= (firstPageOnly ? 1 : doc.numPages); n++) {
    const canvas = await drawPage(await doc.getPage(n), dpi);
    if (encoding) images.push(await encoding);
    encoding = canvas.encode("jpeg", JPEG_QUALITY);
  }
  if (encoding) images.push(await encoding);
  return images;
}

async function drawPage(page: PDFPageProxy, dpi: number): Promise<Canvas> {
  const viewport = page.getViewport({ scale: dpi / 72 });
  const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
  const task = page.render({
    // pdf.js types its canvas as the DOM's; Skia's canvas is what its Node build draws on.
    canvas: canvas as unknown as HTMLCanvasElement,
    viewport,
    intent: "print",
  });
  // pdf.js pauses every ~15 ms of drawing; resuming on the next turn of the event loop lets requests in between.
  task.onContinue = (resume: () => void) => setImmediate(resume);
  await task.promise;
  return canvas;
}

/**
 * Every page drawn at `dpi`, one after another, each canvas handed to `visit` before the next is drawn: for a
 * caller that wants the pixels themselves (a release's pages compared with the released version's).
 */
export async function visitPages<T>(
  pdf: Uint8Array,
  dpi: number,
  visit: (canvas: Canvas, page: number) => Promise<T> | T,
): Promise<Result<T[]>> {
  const refused = dpiProblem(dpi);
  if (refused) return fail(refused);
  const doc = await loadDocument(pdf);
  try {
    const visited: T[] = [];
    for (let n = 1; n <= doc.numPages; n++) visited.push(await visit(await drawPage(await doc.getPage(n), dpi), n));
    return ok(visited);
  } finally {
    await doc.destroy();
  }
}

/** Each page's text items in content order, a line break where pdf.js found a line's end. */
async function pageTexts(doc: PDFDocumentProxy, firstPageOnly: boolean): Promise<string[]> {
  const texts: string[] = [];
  for (let n = 1; n <= (firstPageOnly ? 1 : doc.numPages); n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    texts.push(
      content.items
        .map((item) => ("str" in item ? item.str + (item.hasEOL ? "\n" : "") : ""))
        .join("")
        .trim(),
    );
  }
  return texts;
}
