import { PNG } from "pngjs";
import { qrMatrix } from "./matrix.ts";
import { qrRuns } from "./runs.ts";

/**
 * The QR code as a greyscale PNG, `scale` pixels per module, quiet zone included. Painted from the same
 * runs a vector painter uses, so the PNG and the PDF show the same symbol.
 */
export function qrPng(payload: string, scale = 4): Uint8Array {
  const { span, runs } = qrRuns(qrMatrix(payload));
  const side = span * scale;
  // One byte per pixel, 255 light, 0 dark.
  const grey = Buffer.alloc(side * side, 255);
  for (const run of runs) {
    for (let y = run.row * scale; y < (run.row + 1) * scale; y++) {
      const from = y * side + run.col * scale;
      grey.fill(0, from, from + run.length * scale);
    }
  }
  const png = Object.assign(new PNG({ width: 0, height: 0 }), { width: side, height: side, data: grey });
  const bytes = PNG.sync.write(png, { colorType: 0, inputColorType: 0 });
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
