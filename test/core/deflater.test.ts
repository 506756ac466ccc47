import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { type DeflateSettings, Deflater } from "../../src/core/index.ts";

describe("a deflater reused from one stream to the next", () => {
  it("gives each stream the bytes zlib.deflateSync gives it with the same settings, whatever it compressed before", () => {
    const text = Buffer.from(
      "BT\n1 0 0 -1 56.692913 148.719842 Tm\n/F1 9.5 Tf\n[<0030001100030003> 0] TJ\nET\n".repeat(400),
    );
    // Rows of palette indices, mostly runs of zeros (Up-filtered rows that repeat the row above).
    const rows = Buffer.alloc(120_000);
    for (let i = 0; i < rows.length; i += 997) rows.fill(i % 7, i, i + 40);
    const inputs = [
      text,
      Buffer.alloc(0),
      readFileSync("node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf").subarray(0, 40_000),
      // Incompressible and larger than the output buffer the deflater starts with: it grows mid-stream.
      randomBytes(200_000),
      rows,
      Buffer.alloc(10_000),
      text.subarray(0, 1),
      text,
    ];
    const settings: DeflateSettings[] = [
      { level: 1 },
      { level: 3 },
      { level: 6 },
      { level: 3, strategy: zlib.constants.Z_RLE },
      { level: 6, strategy: zlib.constants.Z_FILTERED },
    ];
    for (const setting of settings) {
      const deflater = new Deflater(setting);
      for (const [i, input] of inputs.entries())
        expect(
          deflater.deflate(input).equals(zlib.deflateSync(input, setting)),
          `${JSON.stringify(setting)}, input ${i}`,
        ).toBe(true);
    }
  });

  it("compresses with its own strategy", () => {
    const rows = Buffer.from("abcdefgh".repeat(2000));
    const rle = new Deflater({ level: 3, strategy: zlib.constants.Z_RLE }).deflate(rows);
    expect(rle.equals(zlib.deflateSync(rows, { level: 3 }))).toBe(false);
    expect(zlib.inflateSync(rle).equals(rows)).toBe(true);
  });

  it("hands out bytes of their own, which the next stream does not overwrite", () => {
    const deflater = new Deflater({ level: 3 });
    const first = deflater.deflate(Buffer.from("first stream ".repeat(50)));
    const copy = Buffer.from(first);
    deflater.deflate(Buffer.from("second stream, longer than the first ".repeat(80)));
    expect(first.equals(copy)).toBe(true);
    expect(zlib.inflateSync(first).toString()).toBe("first stream ".repeat(50));
  });
});
