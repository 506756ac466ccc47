import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { type IndexedImage, indexedPng, PNG_DEFLATE } from "../../src/assets/chart/indexed-png.ts";
import { Deflater } from "../../src/core/index.ts";

/** A seeded generator: the same images on every run. */
function generator(seed: number) {
  return (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
}

/** A `width`×`height` image of `colours` palette entries (RGBA words, premultiplied), rows `stride` bytes. */
function image(width: number, height: number, palette: number[], index: (x: number, y: number) => number) {
  const stride = Math.ceil(width / 4) * 4;
  // Bytes past each row's width that are not the image's: the PNG leaves them out.
  const pixels = new Uint8Array(stride * height).fill(255);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels[y * stride + x] = index(x, y);
  const image: IndexedImage = {
    pixels,
    width,
    height,
    stride,
    palette: Uint32Array.from(palette),
    size: palette.length,
  };
  return image;
}

const rgba = (r: number, g: number, b: number, a: number) => (r | (g << 8) | (b << 16) | (a << 24)) >>> 0;

/** One zlib stream for every image, as a thread keeps one: each PNG's bytes are its own still. */
const deflater = new Deflater(PNG_DEFLATE);

function decoded(img: IndexedImage) {
  // Rows left over from a larger image before: each image writes all of its own.
  const rows = new Uint8Array((img.width + 1) * img.height + 100).fill(7);
  const png = PNG.sync.read(indexedPng(img, rows, deflater));
  expect([png.width, png.height]).toEqual([img.width, img.height]);
  return png.data;
}

describe("indexed PNG", () => {
  it("keeps every pixel, rows repeated, changed in places or new, on rows of any width", () => {
    const random = generator(7);
    const palette = Array.from({ length: 256 }, (_, c) => rgba(c, 255 - c, (c * 7) & 255, 255));
    for (const width of [1, 2, 3, 5, 257, 1104]) {
      const height = 60;
      const indices = new Uint8Array(width * height);
      for (let y = 0; y < height; y++) {
        const row = indices.subarray(y * width, (y + 1) * width);
        const kind = y === 0 ? 2 : random(3);
        if (kind < 2) row.set(indices.subarray((y - 1) * width, y * width));
        if (kind === 1) for (let k = random(6); k >= 0; k--) row[random(width)] = random(256);
        if (kind === 2)
          for (let x = 0; x < width; ) {
            const end = Math.min(width, x + 1 + random(70));
            row.fill(random(256), x, end);
            x = end;
          }
      }
      const out = decoded(image(width, height, palette, (x, y) => indices[y * width + x]));
      const expected = new Uint8Array(width * height * 4);
      indices.forEach((i, p) => {
        expected.set([i, 255 - i, (i * 7) & 255, 255], p * 4);
      });
      expect(Buffer.compare(out, Buffer.from(expected))).toBe(0);
    }
  });

  it("writes translucent colours straight, with their alpha", () => {
    // Premultiplied: half-transparent red, transparent, and an opaque blue.
    const palette = [rgba(64, 0, 0, 128), rgba(0, 0, 0, 0), rgba(0, 0, 200, 255)];
    const out = decoded(image(3, 2, palette, (x) => x));
    expect([...out.subarray(0, 12)]).toEqual([128, 0, 0, 128, 0, 0, 0, 0, 0, 0, 200, 255]);
  });
});
