import { isDark, QR_QUIET_ZONE, type QrMatrix } from "./matrix.ts";

/** A horizontal run of dark modules: paint it as one rectangle `length`×1 at (`col`, `row`). */
export interface QrRun {
  row: number;
  col: number;
  length: number;
}

/** What a painter needs: the runs, and the side of the whole square, both in modules, quiet zone included. */
export interface QrGeometry {
  /** `size + 2 × QR_QUIET_ZONE`: scale the square to this many modules. */
  span: number;
  /** Coordinates already offset by the quiet zone. */
  runs: QrRun[];
}

/** Dark runs per row: a vector painter draws far fewer rectangles than modules, and no hairline seams. */
export function qrRuns(m: QrMatrix): QrGeometry {
  const runs: QrRun[] = [];
  for (let row = 0; row < m.size; row++) {
    let col = 0;
    while (col < m.size) {
      if (!isDark(m, row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < m.size && isDark(m, row, col)) col++;
      runs.push({ row: row + QR_QUIET_ZONE, col: start + QR_QUIET_ZONE, length: col - start });
    }
  }
  return { span: m.size + 2 * QR_QUIET_ZONE, runs };
}
