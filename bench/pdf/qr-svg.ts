import { qrMatrix, qrRuns } from "../../src/assets/qr/index.ts";

/** A QR code as an SVG of one rectangle per run of dark modules, quiet zone included: the baselines' QR. */
export function qrSvg(data: string, side?: string): string {
  const g = qrRuns(qrMatrix(data));
  const rects = g.runs.map((r) => `<rect x="${r.col}" y="${r.row}" width="${r.length}" height="1"/>`).join("");
  const size = side ? ` width="${side}" height="${side}"` : "";
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${g.span} ${g.span}"${size} shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#fff"/>${rects}</svg>`;
}
