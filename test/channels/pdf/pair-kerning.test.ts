import { readFileSync } from "node:fs";
import * as fontkit from "fontkit";
import { describe, expect, it } from "vitest";
import { CHARACTERS, PairKerning } from "../../../src/channels/pdf/pair-kerning.ts";

const DIR = "node_modules/dejavu-fonts-ttf/ttf";
const FACES = ["DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique"];

/** What fontkit's layout gives for `text`: each glyph's id and advance, and whether anything else moved. */
function fontkitShape(font: fontkit.Font, text: string) {
  const run = font.layout(text);
  return {
    ids: run.glyphs.map((g) => g.id),
    advances: run.positions.map((p) => p.xAdvance),
    moved: run.positions.some((p) => p.yAdvance !== 0 || p.xOffset !== 0 || p.yOffset !== 0),
  };
}

/** A pseudo-random sequence, the same each run. */
function* numbers(seed: number) {
  let x = seed;
  for (;;) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    yield x / 2 ** 31;
  }
}

const isLetter = (c: string) => /[A-Za-z]/.test(c);

describe("texts of ASCII, no-break spaces, £ and € shaped from their pairs' kerning", () => {
  for (const name of FACES) {
    const triples = name === "DejaVuSans" || name === "DejaVuSans-Bold";
    it(`gives fontkit's glyphs and advances in ${name}: every pair${triples ? ", every three characters of amounts" : ""} and random longer texts`, () => {
      const file = readFileSync(`${DIR}/${name}.ttf`);
      const font = fontkit.create(file);
      const pairs = new PairKerning(font);
      // fontkit's own, from a separate copy of the face: nothing the pair shaper learnt can leak into it.
      const reference = fontkit.create(file);
      const chars = [...CHARACTERS];
      const common = chars.filter((c) => !isLetter(c));
      const random = numbers(FACES.indexOf(name) + 1);
      const pick = (from: string[]) => from[Math.floor(random.next().value! * from.length)];
      const texts = (count: number) =>
        Array.from({ length: count }, (_, i) => {
          let text = "";
          const length = 3 + Math.floor(random.next().value! * 30);
          while (text.length < length) text += pick(i % 2 === 0 ? chars : common);
          return text;
        });
      // Learnt as a render learns them, from the texts fontkit shapes: random ones, then every pair, alone and
      // beside a letter (a pair of no script beside a letter is shaped as Latin).
      const learn = (text: string) => pairs.learn(text, font.layout(text));
      for (const text of texts(2500)) learn(text);
      for (const a of chars) for (const b of chars) learn(isLetter(a) || isLetter(b) ? a + b : `${a + b}x`);
      for (const a of common) for (const b of common) learn(a + b);
      let shaped = 0;
      const check = (text: string) => {
        const got = pairs.shape(text);
        if (!got) return;
        shaped++;
        const want = fontkitShape(reference, text);
        expect(want.moved, text).toBe(false);
        expect({ ids: got.glyphs.map((g) => g.id), advances: got.advances }, JSON.stringify(text)).toEqual({
          ids: want.ids,
          advances: want.advances,
        });
      };
      for (const a of chars) for (const b of chars) check(a + b);
      // Every three of the characters amounts and numbers are written with.
      const amounts = [..."0123456789 .,-+%/:()£€\u00a0\u202f"];
      if (triples) for (const a of amounts) for (const b of amounts) for (const c of amounts) check(a + b + c);
      for (const text of texts(2500)) check(text);
      // Amounts, account numbers, names and a payment link's pieces as statements write them.
      for (const text of [
        "£216.15 ",
        "293,75\u00a0€ ",
        "1420870990 ",
        "-6,29\u00a0€",
        "1\u202f196,20 €",
        "Grace ",
        "often ",
        "nch.AgfT_GEWatWIT ",
        "jinx.",
        "?a=3038147768&m ",
      ]) {
        expect(pairs.shape(text), text).toBeDefined();
        check(text);
      }
      expect(shaped).toBeGreaterThan(chars.length ** 2 / 2);
      // ~50,000 shapings by fontkit: seconds alone, several times that beside other test files.
    }, 120_000);
  }

  it("shapes a text once fontkit has shaped each of its pairs, in a text of the same script", () => {
    const font = fontkit.create(readFileSync(`${DIR}/DejaVuSans.ttf`));
    const pairs = new PairKerning(font);
    expect(pairs.shape("1234")).toBeUndefined();
    pairs.learn("1234", font.layout("1234"));
    expect(pairs.shape("1234")?.glyphs.map((g) => g.id)).toEqual(font.layout("1234").glyphs.map((g) => g.id));
    expect(pairs.shape("234")).toBeDefined();
    expect(pairs.shape("4321")).toBeUndefined();
    // Latin texts have features of their own: "12" learnt without a letter says nothing of "12" beside one.
    expect(pairs.shape("12A")).toBeUndefined();
  });

  it("leaves to fontkit a text with any other character, a single character and a ligature's letters", () => {
    const font = fontkit.create(readFileSync(`${DIR}/DejaVuSans.ttf`));
    const pairs = new PairKerning(font);
    const texts = ["12é", "Ab\u0301", "1", "", "€\u00ad5", "1\ud83d\ude001", "office ", "fly", "flat"];
    for (const text of texts) pairs.learn(text, font.layout(text));
    for (const text of texts) expect(pairs.shape(text), text).toBeUndefined();
  });

  it("never shapes from pairs a pair the face's tables may substitute, whatever was learnt", () => {
    const font = fontkit.create(readFileSync(`${DIR}/DejaVuSans.ttf`));
    const pairs = new PairKerning(font);
    // A run as if fontkit had left `ff` alone: the liga lookup starting at f with f second still rules it out.
    const f = font.glyphForCodePoint(0x66);
    const place = { xAdvance: f.advanceWidth, yAdvance: 0, xOffset: 0, yOffset: 0 };
    const run = { script: "latn", advanceWidth: 2 * f.advanceWidth, glyphs: [f, f], positions: [place, { ...place }] };
    pairs.learn("ff", run);
    expect(pairs.shape("ff")).toBeUndefined();
  });
});
