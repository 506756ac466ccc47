import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { indexedPng } from "../../src/assets/chart/indexed-png.ts";

/** `width`×`height` RGBA pixels, each `colour(x, y)` as [r, g, b, a]. */
function pixels(width: number, height: number, colour: (x: number, y: number) => number[]): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(colour(x, y), (y * width + x) * 4);
  return data;
}

const decoded = (data: Uint8Array, width: number, height: number) => {
  // Rows left over from a larger image before: each image writes all of its own.
  const rows = new Uint8Array((width + 1) * height + 100).fill(7);
  const png = PNG.sync.read(indexedPng(data, width, height, rows));
  expect([png.width, png.height]).toEqual([width, height]);
  return png.data;
};

describe("indexed PNG", () => {
  it("keeps every pixel of an image of 256 colours or fewer, rows repeated or not, and its transparency", () => {
    // Stripes of 200 colours over repeated rows, a last row of its own, a translucent block (premultiplied).
    const colour = (x: number, y: number) => (y === 39 ? [x % 7, 9, 9, 255] : [x % 200, x % 200, 255 - (x % 200), 255]);
    const image = pixels(300, 40, (x, y) => (x < 20 && y < 10 ? [64, 0, 0, 128] : colour(x, y)));
    const straight = pixels(300, 40, (x, y) => (x < 20 && y < 10 ? [128, 0, 0, 128] : colour(x, y)));
    expect(Buffer.compare(decoded(image, 300, 40), Buffer.from(straight))).toBe(0);
  });

  it("draws each colour beyond the 256 most used in the kept colour nearest to it", () => {
    // 256 colours on most of the image, and 100 colours one pixel each, a level of blue off a kept one.
    const image = pixels(356, 3, (x, y) => (y < 2 || x < 256 ? [x % 256, 0, 0, 255] : [x - 256, 0, 1, 255]));
    const out = decoded(image, 356, 3);
    for (let x = 0; x < 356; x++) {
      const at = (2 * 356 + x) * 4;
      expect([...out.subarray(at, at + 4)]).toEqual([x < 256 ? x : x - 256, 0, 0, 255]);
    }
  });
});
