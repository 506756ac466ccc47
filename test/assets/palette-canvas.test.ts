import { describe, expect, it } from "vitest";
import {
  blendTables,
  COVERAGE_STEPS,
  maskSpots,
  PaletteCanvas,
  PALETTE_SIZE,
} from "../../src/assets/chart/palette-canvas.ts";

const WHITE = 0xffffffff;
const BLACK = 0xff000000;
const grey = (v: number) => (v | (v << 8) | (v << 16) | (255 << 24)) >>> 0;

function canvas(width: number, height: number) {
  const stride = Math.ceil(width / 4) * 4;
  return new PaletteCanvas(new Uint8Array(stride * height), width, height, stride, blendTables(4));
}
const colourAt = (c: PaletteCanvas, x: number, y: number) => c.palette[c.pixels[y * c.stride + x]];
/** Black over white where it covers `area` of a pixel, at the nearest step of coverage. */
const covered = (area: number) => grey(Math.round(255 * (1 - Math.round(area * COVERAGE_STEPS) / COVERAGE_STEPS)));
const overlap = (a0: number, a1: number, b0: number, b1: number) => Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));

describe("palette canvas", () => {
  it("fills a rectangle with each pixel's covered area, to the nearest step", () => {
    const c = canvas(9, 7);
    c.clear(WHITE);
    const [x0, y0, x1, y1] = [1.3, 0.45, 6.8, 4.2];
    c.fillRect(x0, y0, x1, y1, BLACK);
    c.fillRect(7.2, 5.1, 7.6, 5.8, BLACK); // within one pixel
    for (let y = 0; y < 7; y++)
      for (let x = 0; x < 9; x++) {
        const area =
          overlap(x, x + 1, x0, x1) * overlap(y, y + 1, y0, y1) +
          overlap(x, x + 1, 7.2, 7.6) * overlap(y, y + 1, 5.1, 5.8);
        expect(colourAt(c, x, y), `${x},${y}`).toBe(covered(area));
      }
  });

  it("blends a translucent colour and a mask over what each pixel holds", () => {
    const c = canvas(4, 2);
    c.clear(WHITE);
    c.fillRect(0, 0, 2, 2, BLACK);
    // A tenth of black over the whole canvas: over black it stays black, over white it is 255 less a tenth.
    c.fillRect(0, 0, 4, 1, (26 << 24) >>> 0);
    expect(colourAt(c, 0, 0)).toBe(BLACK);
    expect(colourAt(c, 3, 0)).toBe(grey(229));
    // A mask of full, half and no coverage in black, over black and white pixels of the second row.
    c.stamp(maskSpots(Uint8Array.of(255, 128, 128, 0), 4, 1), 0, 1, BLACK);
    expect([0, 1, 2, 3].map((x) => colourAt(c, x, 1))).toEqual([BLACK, BLACK, covered(0.5), WHITE]);
  });

  it("stamps only a mask's spots within the canvas, none wrapped into the next row or cut off above", () => {
    const c = canvas(4, 3);
    c.clear(WHITE);
    const block = maskSpots(new Uint8Array(6).fill(255), 3, 2);
    c.stamp(block, 3, 0, BLACK); // the mask's two right columns past the right edge
    c.stamp(block, -2, -1, BLACK); // its top row above and two left columns past the left edge
    const rows = [0, 1, 2].map((y) => [0, 1, 2, 3].map((x) => (colourAt(c, x, y) === BLACK ? "#" : ".")).join(""));
    expect(rows).toEqual(["#..#", "...#", "...."]);
  });

  it("gives a colour met when its palette is full the nearest entry", () => {
    const c = canvas(PALETTE_SIZE + 4, 1);
    for (let x = 0; x < PALETTE_SIZE; x++) c.fillRect(x, 0, x + 1, 1, grey(x));
    expect(c.size).toBe(PALETTE_SIZE);
    const colours = [(0xff << 24) | 3, (0xff << 24) | (200 << 8)].map((v) => v >>> 0);
    for (const [k, colour] of colours.entries()) c.fillRect(PALETTE_SIZE + k, 0, PALETTE_SIZE + k + 1, 1, colour);
    expect(c.size).toBe(PALETTE_SIZE);
    // (3, 0, 0) is nearest grey 1; (0, 200, 0) is nearest grey 67 (the squared distances' least).
    expect(colourAt(c, PALETTE_SIZE, 0)).toBe(grey(1));
    expect(colourAt(c, PALETTE_SIZE + 1, 0)).toBe(grey(67));
  });
});
