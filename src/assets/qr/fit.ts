import { type QrLevel, qrMatrix } from "./matrix.ts";
import { type QrGeometry, qrRuns } from "./runs.ts";

/**
 * The smallest module, in points, that still scans from a page rasterised at 150 dpi (a fax-grade scan, a
 * phone photographing a print): 3 pixels, 0.508 mm. ISO/IEC 18004 leaves the module size to the application;
 * print practice asks for at least 0.5 mm, and at 2 pixels a module one rasterisation in twenty fails.
 */
export const QR_MIN_MODULE = (3 / 150) * 72;

/** Levels tried in turn: M survives ~15% damage (fold lines, smudges); L (~7%) is a smaller symbol. */
const LEVELS: readonly QrLevel[] = ["M", "L"];

export interface QrFit {
  geometry: QrGeometry;
  /** Side of the square, quiet zone included, in points. */
  side: number;
  level: QrLevel;
  /** Side the payload needs at its smallest level with modules of QR_MIN_MODULE: above `room`, it cannot scan. */
  needed: number;
}

/**
 * The symbol for `payload` drawn `wanted` points wide, grown as far as `room` when its modules would be
 * smaller than QR_MIN_MODULE: at level M while M fits, else at L. `needed > room` says no level fits.
 */
export function fitQr(payload: string, wanted: number, room: number): QrFit {
  let fit: QrFit | undefined;
  for (const level of LEVELS) {
    const geometry = qrRuns(qrMatrix(payload, level));
    const needed = geometry.span * QR_MIN_MODULE;
    fit = { geometry, level, needed, side: Math.min(room, Math.max(wanted, needed)) };
    if (needed <= room) return fit;
  }
  return fit as QrFit;
}
