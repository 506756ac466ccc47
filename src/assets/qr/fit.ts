import { QR_QUIET_ZONE, type QrLevel, qrMatrix, qrSize } from "./matrix.ts";
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

/** One payload's symbols by level: the side of each, and each made the first time it is asked for. */
export interface QrSymbols {
  /** Modules a side, quiet zone included, known without making the symbol. */
  span(level: QrLevel): number;
  /** The symbol's runs, made once (an encoding and a mask search). */
  geometry(level: QrLevel): QrGeometry;
}

/**
 * The symbols of `payload`, kept for as long as the caller keeps this: an element laid out again at another
 * width fits the same symbols again without encoding them again, and a level too large for the room is
 * never encoded at all.
 */
export function qrSymbols(payload: string): QrSymbols {
  const made = new Map<QrLevel, QrGeometry>();
  return {
    span: (level) => qrSize(payload, level) + 2 * QR_QUIET_ZONE,
    geometry(level) {
      let geometry = made.get(level);
      if (!geometry) {
        geometry = qrRuns(qrMatrix(payload, level));
        made.set(level, geometry);
      }
      return geometry;
    },
  };
}

/**
 * A payload's symbol drawn `wanted` points wide, grown as far as `room` when its modules would be smaller
 * than QR_MIN_MODULE: at level M while M fits, else at L. `needed > room` says no level fits.
 */
export function fitQr(symbols: QrSymbols, wanted: number, room: number): QrFit {
  const level = LEVELS.find((l) => symbols.span(l) * QR_MIN_MODULE <= room) ?? LEVELS[LEVELS.length - 1];
  const needed = symbols.span(level) * QR_MIN_MODULE;
  return { geometry: symbols.geometry(level), level, needed, side: Math.min(room, Math.max(wanted, needed)) };
}
