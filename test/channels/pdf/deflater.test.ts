import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { Deflater } from "../../../src/channels/pdf/paint/deflater.ts";

describe("a deflater reused from one stream to the next", () => {
  it("gives each stream the bytes zlib.deflateSync gives it, whatever it compressed before", () => {
    const text = Buffer.from(
      "BT\n1 0 0 -1 56.692913 148.719842 Tm\n/F1 9.5 Tf\n[<0030001100030003> 0] TJ\nET\n".repeat(400),
    );
    const inputs = [
      text,
      Buffer.alloc(0),
      readFileSync("node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf").subarray(0, 40_000),
      // Incompressible and larger than the output buffer the deflater starts with: it grows mid-stream.
      randomBytes(200_000),
      Buffer.alloc(10_000),
      text.subarray(0, 1),
      text,
    ];
    for (const level of [1, 3, 6]) {
      const deflater = new Deflater(level);
      for (const [i, input] of inputs.entries())
        expect(deflater.deflate(input).equals(zlib.deflateSync(input, { level })), `level ${level}, input ${i}`).toBe(
          true,
        );
    }
  });

  it("hands out bytes of their own, which the next stream does not overwrite", () => {
    const deflater = new Deflater(3);
    const first = deflater.deflate(Buffer.from("first stream ".repeat(50)));
    const copy = Buffer.from(first);
    deflater.deflate(Buffer.from("second stream, longer than the first ".repeat(80)));
    expect(first.equals(copy)).toBe(true);
    expect(zlib.inflateSync(first).toString()).toBe("first stream ".repeat(50));
  });
});
