import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countSegments, gsmSeptets, isGsm7, normaliseForSms, SEGMENT_LIMITS } from "../../../src/channels/sms/index.ts";

const a = (n: number) => "a".repeat(n);

describe("GSM-7 segments", () => {
  it("exactly 160 GSM characters is one segment, 161 is two", () => {
    expect(countSegments(a(160))).toEqual({ encoding: "GSM-7", units: 160, segments: 1 });
    expect(countSegments(a(161))).toEqual({ encoding: "GSM-7", units: 161, segments: 2 });
  });

  it("multi-part texts carry 153 septets a segment", () => {
    expect(countSegments(a(306)).segments).toBe(2);
    expect(countSegments(a(307)).segments).toBe(3);
  });

  it("a € counts two septets: 158 + € fits one segment, 159 + € needs two", () => {
    expect(countSegments(`${a(158)}€`)).toEqual({ encoding: "GSM-7", units: 160, segments: 1 });
    expect(countSegments(`${a(159)}€`)).toEqual({ encoding: "GSM-7", units: 161, segments: 2 });
  });

  it("never splits a € across a segment boundary", () => {
    // 306 septets would be two segments, but the € at septets 153-154 moves whole into the second.
    expect(countSegments(`${a(152)}€${a(152)}`)).toEqual({ encoding: "GSM-7", units: 306, segments: 3 });
    expect(countSegments(`${a(151)}€${a(153)}`).segments).toBe(2);
  });

  it("every extension character and form feed counts two", () => {
    for (const ch of "€[]{}~\\^|\f") expect([ch, gsmSeptets(ch)]).toEqual([ch, 2]);
    expect(countSegments(`${a(150)}[]{}~`).units).toBe(160);
  });

  it("accented letters of the basic table stay GSM-7", () => {
    expect(isGsm7("Chloé Søren Björn Jürgen Émile Ñ ß Δ Ω à £ ¥ §")).toBe(true);
    expect(isGsm7("Núñez")).toBe(false);
    expect(isGsm7("crêpe")).toBe(false);
  });
});

describe("UCS-2 segments", () => {
  it("one Cyrillic letter switches the whole text to UCS-2: 70 in one, then 67 a segment", () => {
    expect(countSegments(`Д${a(69)}`)).toEqual({ encoding: "UCS-2", units: 70, segments: 1 });
    expect(countSegments(`Д${a(70)}`)).toEqual({ encoding: "UCS-2", units: 71, segments: 2 });
    expect(countSegments(`Д${a(133)}`).segments).toBe(2);
    expect(countSegments(`Д${a(134)}`).segments).toBe(3);
  });

  it("a character outside the BMP takes two units and is never split", () => {
    expect(countSegments(`${a(66)}😀${a(66)}`)).toEqual({ encoding: "UCS-2", units: 134, segments: 3 });
  });

  it("an empty text takes no segment", () => {
    expect(countSegments("").segments).toBe(0);
  });
});

describe("normalisation before encoding", () => {
  it("maps curly quotes, dashes, ellipses and special spaces to GSM", () => {
    const text = "‘Don’t’ “miss” it – now — or later… 1\u202f130,14\u00a0€ ‐ ‑ − «oui»\u200b";
    const out = normaliseForSms(text);
    expect(out).toBe('\'Don\'t\' "miss" it - now - or later... 1 130,14 € - - - "oui"');
    expect(isGsm7(text)).toBe(false);
    expect(isGsm7(out)).toBe(true);
  });

  it("a curly apostrophe alone would have forced UCS-2", () => {
    const text = `${a(100)} it’s`;
    expect(countSegments(text).encoding).toBe("UCS-2");
    expect(countSegments(normaliseForSms(text))).toEqual({ encoding: "GSM-7", units: 105, segments: 1 });
  });
});

describe("segments counted in one pass over the text", () => {
  /** The count as the rules say it, character by character (`Array.from`: a surrogate pair is one character). */
  function byCharacter(text: string) {
    const characters = Array.from(text);
    const gsm = characters.every((ch) => gsmSeptets(ch) > 0);
    const widths = characters.map((ch) => (gsm ? gsmSeptets(ch) : ch.length));
    const units = widths.reduce((a, b) => a + b, 0);
    const { single, multi } = SEGMENT_LIMITS[gsm ? "GSM-7" : "UCS-2"];
    let segments = units === 0 ? 0 : 1;
    let used = 0;
    if (units > single)
      for (const w of widths) {
        if (used + w > multi) {
          segments++;
          used = 0;
        }
        used += w;
      }
    return { encoding: gsm ? "GSM-7" : "UCS-2", units, segments };
  }
  // Mostly GSM-7 with escapes, or any character: pairs, lone surrogate halves, letters GSM-7 lacks.
  const character = fc.oneof(
    fc.constantFrom("a", " ", "€", "[", "\f", "é", "Δ", "\n", "@"),
    fc.constantFrom("Д", "😀", "\ud83d", "\ude00", "ê", "\u0000", "\uffff"),
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
  );
  const text = fc.oneof(
    fc.array(fc.constantFrom("a", "€", "[", "é", " "), { maxLength: 400, size: "max" }).map((cs) => cs.join("")),
    fc.array(character, { maxLength: 400, size: "max" }).map((cs) => cs.join("")),
  );

  it("counts what a count character by character gives, for any text", () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(countSegments(t)).toEqual(byCharacter(t));
      }),
      { numRuns: 3000 },
    );
  });
});
