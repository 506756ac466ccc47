/** QR codes for the signed pay link: one module matrix, painted as vector runs (PDF) or as a PNG (email). */
export { fitQr, QR_MIN_MODULE, type QrFit, type QrSymbols, qrSymbols } from "./fit.ts";
export { isDark, QR_QUIET_ZONE, type QrLevel, type QrMatrix, qrMatrix, qrSize } from "./matrix.ts";
export { qrPng } from "./png.ts";
export { type QrGeometry, type QrRun, qrRuns } from "./runs.ts";
