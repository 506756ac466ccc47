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

/** One payload's symbols by level, each made the first time it is asked for (a mask search each). */
export type QrSymbols = (level: QrLevel) => QrGeometry;

/**
 * The symbols of `payload`, kept for as long as the caller keeps this: an element laid out again at another
 * width fits the same symbols again without encoding them again.
 */
export function qrSymbols(payload: string): QrSymbols {
  const made = new Map<QrLevel, QrGeometry>();
  return (level) => {
    let geometry = made.get(level);
    if (!geometry) {
      geometry = qrRuns(qrMatrix(payload, level));
      made.set(level, geometry);
    }
    return geometry;
  };
}

/**
 * A payload's symbol drawn `wanted` points wide, grown as far as `room` when its modules would be smaller
 * than QR_MIN_MODULE: at level M while M fits, else at L. `needed > room` says no level fits.
 */
export function fitQr(symbols: QrSymbols, wanted: number, room: number): QrFit {
  let fit: QrFit | undefined;
  for (const level of LEVELS) {
    const geometry = symbols(level);
    const needed = geometry.span * QR_MIN_MODULE;
    fit = { geometry, level, needed, side: Math.min(room, Math.max(wanted, needed)) };
    if (needed <= room) return fit;
  }
  return fit as QrFit;
}
