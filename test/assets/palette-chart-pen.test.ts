import { describe, expect, it } from "vitest";
import { PaletteChartPen } from "../../src/assets/chart/paint-palette.ts";
import { blendTables, COVERAGE_STEPS, PaletteCanvas } from "../../src/assets/chart/palette-canvas.ts";
import { TextMasks } from "../../src/assets/chart/text-masks.ts";

const grey = (v: number) => (v | (v << 8) | (v << 16) | (255 << 24)) >>> 0;
/** Black over white where it covers `area` of a pixel, at the nearest step of coverage. */
const covered = (area: number) => grey(Math.round(255 * (1 - Math.round(area * COVERAGE_STEPS) / COVERAGE_STEPS)));

/** A white 48×8 palette canvas at 1x, a pen on it, and a pixel's colour. */
function penOnCanvas() {
  const [width, height] = [48, 8];
  const canvas = new PaletteCanvas(new Uint8Array(width * height), width, height, width, blendTables(4));
  const pen = new PaletteChartPen(canvas, 1, new TextMasks());
  pen.background("#ffffff");
  const at = (x: number, y: number) => canvas.palette[canvas.pixels[y * width + x]];
  return { pen, at };
}

/** A column's rows 2–6. */
const column = (at: (x: number, y: number) => number, x: number) => [2, 3, 4, 5, 6].map((y) => at(x, y));
const WHITE = covered(0);
// A 2 px line whose middle is at y = 4.3: from 3.3 to 5.3.
const EXACT = [WHITE, covered(0.7), covered(1), covered(0.3), WHITE];
/** Skia's rule for a path more than 32 px across: its top and bottom on the nearest quarter of a pixel. */
const QUARTERS = [WHITE, covered(0.75), covered(1), covered(0.25), WHITE];

describe("the chart's pen on a palette canvas", () => {
  it("dashes a stroke from its start, on and off with butt caps, the last dash cut at its end, as one path", () => {
    const { pen, at } = penOnCanvas();
    pen.strokes("#000000", 2, [{ x1: 2, x2: 36, y: 4.3 }], [6, 4]);
    // Dashes 2–8, 12–18, 22–28, 32–36: 34 px across, so filled as one path by the large-path rule.
    for (const x of [2, 7, 12, 17, 22, 27, 32, 35]) expect(column(at, x), `${x}`).toEqual(QUARTERS);
    for (const x of [1, 8, 11, 18, 21, 28, 31, 36]) expect(column(at, x), `${x}`).toEqual(Array(5).fill(WHITE));
  });

  it("strokes a short line and fills each rectangle as a path of its own, with exact coverage", () => {
    const { pen, at } = penOnCanvas();
    pen.strokes("#000000", 2, [{ x1: 2, x2: 8, y: 4.3 }]);
    pen.rects("#000000", [
      { x: 12, y: 3.3, width: 6, height: 2 },
      { x: 40, y: 3.3, width: 6, height: 2 },
    ]);
    for (const x of [2, 7, 12, 17, 40, 45]) expect(column(at, x), `${x}`).toEqual(EXACT);
  });

  it("strokes segments as one path: far apart, they take the large path's rule", () => {
    const { pen, at } = penOnCanvas();
    pen.strokes("#000000", 2, [
      { x1: 2, x2: 8, y: 4.3 },
      { x1: 40, x2: 46, y: 4.3 },
    ]);
    for (const x of [2, 7, 40, 45]) expect(column(at, x), `${x}`).toEqual(QUARTERS);
  });
});
