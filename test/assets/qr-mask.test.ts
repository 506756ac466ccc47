import { createRequire } from "node:module";
import QRCode from "qrcode";
import { describe, expect, it } from "vitest";
import { type QrLevel, qrMatrix } from "../../src/assets/qr/index.ts";
import { formatBits, penalty } from "../../src/assets/qr/mask.ts";

/**
 * The mask is chosen outside qrcode for speed; the symbol must stay the one qrcode's own search makes, since
 * a different mask would change every code's pixels. Checked against qrcode over links of every length the
 * statements print and more, at every level, and rule by rule on arbitrary matrices (where ties are common).
 */

const require = createRequire(import.meta.url);
const qrcodeMask = require("qrcode/lib/core/mask-pattern.js");
const qrcodeFormat = require("qrcode/lib/core/format-info.js");
const qrcodeLevel = require("qrcode/lib/core/error-correction-level.js");

/** A deterministic stream of numbers in [0, 1) (mulberry32), so a failure names a reproducible case. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~/?=&%";

function link(next: () => number, length: number): string {
  let s = "https://pay.northwind-energy.example/p/";
  while (s.length < length) s += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return s.slice(0, length);
}

const LEVELS: QrLevel[] = ["L", "M", "Q", "H"];

describe("a QR symbol's mask", () => {
  it("is the one qrcode's own search chooses, module for module", () => {
    const next = random(18004);
    for (let length = 1; length <= 260; length += 3) {
      const payload = length < 40 ? "x".repeat(length) : link(next, length);
      for (const level of LEVELS) {
        const theirs = QRCode.create([{ data: Buffer.from(payload, "utf8"), mode: "byte" }], {
          errorCorrectionLevel: level,
        }).modules;
        const ours = qrMatrix(payload, level);
        expect(ours.size, `${level} ${payload}`).toBe(theirs.size);
        expect(Buffer.from(ours.modules).equals(Buffer.from(theirs.data)), `${level} ${payload}`).toBe(true);
      }
    }
  });

  it("writes the format information qrcode writes, for every level and pattern", () => {
    for (const level of LEVELS)
      for (let pattern = 0; pattern < 8; pattern++)
        expect(formatBits(level, pattern), `${level} ${pattern}`).toBe(
          qrcodeFormat.getEncodedBits(qrcodeLevel.from(level), pattern),
        );
  });

  it("scores any matrix as qrcode's four rules add up", () => {
    const next = random(7);
    for (let n = 0; n < 200; n++) {
      const size = 21 + 4 * (n % 40);
      // Every version's side (21 to 177 modules, one to six words a line), in runs of one colour so long runs,
      // blocks and finder-like patterns all occur.
      const data = new Uint8Array(size * size);
      let colour = 0;
      for (let i = 0; i < data.length; i++) {
        if (next() < 0.3) colour ^= 1;
        data[i] = colour;
      }
      const matrix = { size, data, get: (row: number, col: number) => data[row * size + col] };
      const theirs =
        qrcodeMask.getPenaltyN1(matrix) +
        qrcodeMask.getPenaltyN2(matrix) +
        qrcodeMask.getPenaltyN3(matrix) +
        qrcodeMask.getPenaltyN4(matrix);
      expect(penalty(data, size), `matrix ${n}`).toBe(theirs);
    }
  });
});
