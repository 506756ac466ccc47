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

  it("keeps every pixel of runs of 256 colours, rows repeated, changed in places, or new", () => {
    // A seeded generator: the same image on every run.
    let seed = 7;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const width = 257;
    const height = 80;
    const image = new Uint8Array(width * height * 4);
    const put = (x: number, y: number, c: number) => image.set([c, 255 - c, (c * 7) & 255, 255], (y * width + x) * 4);
    for (let y = 0; y < height; y++) {
      const kind = y === 0 ? 2 : random(3);
      if (kind < 2) image.copyWithin(y * width * 4, (y - 1) * width * 4, y * width * 4);
      if (kind === 1) for (let k = random(6); k >= 0; k--) put(random(width), y, random(256));
      if (kind === 2)
        for (let x = 0; x < width; ) {
          const c = random(256);
          const end = Math.min(width, x + 1 + random(70));
          for (; x < end; x++) put(x, y, c);
        }
    }
    expect(Buffer.compare(decoded(image, width, height), Buffer.from(image))).toBe(0);
  });

  it("draws a rarer colour in the nearest kept colour, the most used one among equally near ones", () => {
    // 256 kept colours, each on more pixels than the next; then two colours a level from two kept ones each
    // (in red, in green), and 200 colours at random, one pixel each.
    let seed = 11;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) & 255;
    };
    const kept = Array.from({ length: 256 }, (_, i) =>
      i === 100
        ? [10, 0, 0, 255]
        : i === 101
          ? [12, 0, 0, 255]
          : i === 150
            ? [0, 12, 0, 255]
            : i === 151
              ? [0, 10, 0, 255]
              : [random(), random(), random(), 255],
    );
    const rare = [
      [11, 0, 0, 255],
      [0, 11, 0, 255],
      ...Array.from({ length: 200 }, () => [random(), random(), random(), 255]),
    ];
    const row: number[][] = [];
    kept.forEach((c, i) => {
      for (let k = 0; k < 300 - i; k++) row.push(c);
    });
    row.push(...rare);
    const width = row.length;
    const out = decoded(
      pixels(width, 1, (x) => row[x]),
      width,
      1,
    );
    const distance = (a: number[], b: number[]) => a.reduce((d, v, k) => d + (v - b[k]) ** 2, 0);
    rare.forEach((c, k) => {
      // The first kept colour (most pixels) among the nearest.
      const best = kept.reduce((b, cand) => (distance(c, cand) < distance(c, b) ? cand : b));
      const at = (width - rare.length + k) * 4;
      expect([...out.subarray(at, at + 4)]).toEqual(best);
    });
    expect([...out.subarray((width - rare.length) * 4, (width - rare.length) * 4 + 8)]).toEqual([
      10, 0, 0, 255, 0, 12, 0, 255,
    ]);
  });
});
