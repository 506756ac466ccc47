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

/** The module matrix of `payload` at error-correction level M (survives ~15% damage: fold lines, smudges). */
export function qrMatrix(payload: string): QrMatrix {
  const { modules } = QRCode.create(payload, { errorCorrectionLevel: "M" });
  return { size: modules.size, modules: Uint8Array.from(modules.data) };
}

export const isDark = (m: QrMatrix, row: number, col: number): boolean => m.modules[row * m.size + col] === 1;
