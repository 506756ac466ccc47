import { parentPort, threadId } from "node:worker_threads";
import { readPdf } from "../studio/raster.ts";

/**
 * A statement's first page as the timeline shows it, 200 CSS pixels wide: drawn at 48 dpi an A4 page is 397
 * pixels wide, sharp on a screen of twice the density, and its JPEG weighs some 30 KB.
 */
const THUMBNAIL_DPI = 48;

/** Draws the first page of an archived PDF off the server's event loop: pdf.js parses and paints on this thread. */
parentPort?.postMessage({ warmed: threadId });

export default async function run(task: { pdf: Uint8Array }) {
  return readPdf(task.pdf, { dpi: THUMBNAIL_DPI, firstPageOnly: true }).images!;
}
