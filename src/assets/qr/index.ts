/** QR codes for the signed pay link: one module matrix, painted as vector runs (PDF) or as a PNG (email). */
export { isDark, QR_QUIET_ZONE, type QrMatrix, qrMatrix } from "./matrix.ts";
export { qrPng } from "./png.ts";
export { type QrGeometry, type QrRun, qrRuns } from "./runs.ts";
