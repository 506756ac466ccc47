import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { unitInterval } from "../../src/core/hash.ts";

const bySha256 = (key: string) => createHash("sha256").update(key).digest().readUInt32BE(0) / 2 ** 32;

describe("unitInterval", () => {
  it("is the first 32 bits of the key's SHA-256 for every key: short ASCII, long, and not ASCII", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 70 }), fc.string({ unit: "grapheme", maxLength: 30 })), (key) => {
        expect(unitInterval(key)).toBe(bySha256(key));
      }),
      { numRuns: 3000 },
    );
    for (let n = 0; n <= 64; n++) expect(unitInterval("k".repeat(n))).toBe(bySha256("k".repeat(n)));
  });

  it("hashes a key and its tail as the one string they make", () => {
    const part = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: "grapheme", maxLength: 10 }));
    fc.assert(
      fc.property(part, part, (key, tail) => {
        expect(unitInterval(key, tail)).toBe(bySha256(key + tail));
      }),
      { numRuns: 3000 },
    );
    for (let n = 0; n <= 64; n++)
      expect(unitInterval("k".repeat(n), "t".repeat(n % 7))).toBe(bySha256(`${"k".repeat(n)}${"t".repeat(n % 7)}`));
  });

  it("agrees with the standard's test vectors", () => {
    expect(unitInterval("")).toBe(0xe3b0c442 / 2 ** 32);
    expect(unitInterval("abc")).toBe(0xba7816bf / 2 ** 32);
    expect(unitInterval("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).toBe(0x248d6a61 / 2 ** 32);
  });
});
