import QRCode from "qrcode";

/** Light modules every side of the symbol: the quiet zone a scanner needs to find the code. */
export const QR_QUIET_ZONE = 4;

/** The QR symbol's modules, without the quiet zone. */
export interface QrMatrix {
  /** Modules per side. */
  size: number;
  /** Row-major, `size × size`; 1 is a dark module. */
  modules: Uint8Array;
}

/** Error-correction levels: the share of a symbol that can be lost, L ~7%, M ~15%, Q ~25%, H ~30%. */
export type QrLevel = "L" | "M" | "Q" | "H";

/**
 * The module matrix of `payload` at an error-correction level, M unless told (survives ~15% damage).
 * Encoded as one byte segment: the payloads are links, where qrcode's search for the shortest mix of
 * modes costs half the encoding and rarely saves a version.
 */
export function qrMatrix(payload: string, level: QrLevel = "M"): QrMatrix {
  const { modules } = QRCode.create([{ data: Buffer.from(payload, "utf8"), mode: "byte" }], {
    errorCorrectionLevel: level,
  });
  return { size: modules.size, modules: Uint8Array.from(modules.data) };
}

export const isDark = (m: QrMatrix, row: number, col: number): boolean => m.modules[row * m.size + col] === 1;
