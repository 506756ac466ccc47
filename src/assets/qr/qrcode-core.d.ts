/** The parts of qrcode's core (1.5.x) that size a symbol without encoding it. */
declare module "qrcode/lib/core/error-correction-level.js" {
  /** The levels as qrcode compares them: by identity. */
  const levels: Record<"L" | "M" | "Q" | "H", { bit: number }>;
  export default levels;
}

declare module "qrcode/lib/core/version.js" {
  const version: {
    /** Bytes a symbol of `version` holds at `level` in byte mode (qrcode's default mode here). */
    getCapacity(version: number, level: { bit: number }): number;
  };
  export default version;
}
