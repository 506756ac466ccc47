import QRCode from "qrcode";
import ECLevels from "qrcode/lib/core/error-correction-level.js";
import Versions from "qrcode/lib/core/version.js";
import { type QrLevel, maskAt, maskBest } from "./mask.ts";

export type { QrLevel } from "./mask.ts";

/** Light modules every side of the symbol: the quiet zone a scanner needs to find the code. */
export const QR_QUIET_ZONE = 4;

/** The QR symbol's modules, without the quiet zone. */
export interface QrMatrix {
  /** Modules per side. */
  size: number;
  /** Row-major, `size × size`; 1 is a dark module. */
  modules: Uint8Array;
}

/**
 * The module matrix of `payload` at an error-correction level, M unless told (survives ~15% damage).
 * Encoded as one byte segment: the payloads are links, where qrcode's search for the shortest mix of
 * modes costs half the encoding and rarely saves a version. qrcode encodes the symbol with mask 0, which
 * is taken off again so `maskBest` chooses the mask: the same choice as qrcode's, made in a fraction of its time.
 */
export function qrMatrix(payload: string, level: QrLevel = "M"): QrMatrix {
  const { modules: symbol } = QRCode.create([{ data: Buffer.from(payload, "utf8"), mode: "byte" }], {
    errorCorrectionLevel: level,
    maskPattern: 0,
  });
  const { size, reservedBit: reserved } = symbol;
  const modules = Uint8Array.from(symbol.data);
  for (let row = 0; row < size; row++)
    for (let col = 0; col < size; col++) {
      const i = row * size + col;
      if (reserved[i] !== 1 && maskAt(0, row, col)) modules[i] ^= 1;
    }
  return { size, modules: maskBest({ size, modules, reserved }, level).modules };
}

/**
 * Modules per side of the symbol `qrMatrix` makes for `payload` at `level`, without making it: the smallest
 * version whose byte-mode capacity holds the payload, as qrcode picks it for one byte segment. A fit that
 * only needs the size (a level it will not use) costs no encoding and no mask search.
 */
export function qrSize(payload: string, level: QrLevel = "M"): number {
  const bytes = Buffer.byteLength(payload, "utf8");
  for (let version = 1; version <= 40; version++)
    if (bytes <= Versions.getCapacity(version, ECLevels[level])) return 17 + 4 * version;
  throw new Error(`${bytes} bytes are too many for a QR code at level ${level}`);
}

export const isDark = (m: QrMatrix, row: number, col: number): boolean => m.modules[row * m.size + col] === 1;
