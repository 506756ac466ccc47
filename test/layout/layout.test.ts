import { describe, expect, it } from "vitest";
import {
  type PageTemplate,
  Stack,
  breakLines,
  composePages,
  paintDocument,
  parseWidth,
  resolveWidths,
} from "../../src/layout/index.ts";
import { box, fakeEnv, recordingPainter, style } from "../support/pdf-layout.ts";

const lineTexts = (lines: ReturnType<typeof breakLines>) => lines.map((l) => l.runs.map((r) => r.text).join(""));

describe("line breaking", () => {
  it("fills lines greedily at spaces and drops the trailing space", () => {
    // 5 pt a character at size 10: 50 pt holds 10 characters.
    const lines = breakLines([{ text: "aaaa bbbb cccc dddd", style }], 50, fakeEnv(), 1.2);
    expect(lineTexts(lines)).toEqual(["aaaa bbbb", "cccc dddd"]);
    expect(lines[0].height).toBeCloseTo(12);
  });

  it("cuts a word wider than the line, and glues words joined by a no-break space", () => {
    expect(lineTexts(breakLines([{ text: "abcdefghijklmnop", style }], 50, fakeEnv(), 1))).toEqual([
      "abcdefghij",
      "klmnop",
    ]);
    expect(lineTexts(breakLines([{ text: "pay 12,50\u00a0€ now", style }], 50, fakeEnv(), 1))).toEqual([
      "pay",
      "12,50\u00a0€",
      "now",
    ]);
  });

  it("keeps styled pieces of one word together and breaks at forced newlines", () => {
    const bold = { ...style, font: "bold" };
    const lines = breakLines(
      [
        { text: "xxxxxxx 12", style },
        { text: "kWh", style: bold },
        { text: "\nnext", style },
      ],
      50,
      fakeEnv(),
      1,
    );
    expect(lineTexts(lines)).toEqual(["xxxxxxx", "12kWh", "next"]);
    expect(lines[1].runs.map((r) => r.style.font)).toEqual(["body", "bold"]);
  });

  it("reports characters no font covers", () => {
    const env = fakeEnv();
    breakLines([{ text: "snow ☃ man", style }], 200, env, 1);
    expect(env.problems.map((p) => p.code)).toEqual(["OMD_PDF_MISSING_GLYPH"]);
    expect(env.problems[0].message).toContain("U+2603");
  });
});

describe("columns", () => {
  it("gives fixed and percentage columns their width, auto its content, fractions the rest", () => {
    const specs = ["20pt", "10%", "auto", "1fr", "3fr"].map((w) => parseWidth(w)!);
    const w = resolveWidths(specs, 200, () => 40);
    expect(w[0]).toBe(20);
    expect(w[1]).toBe(20);
    expect(w[2]).toBe(40);
    expect(w[3]).toBeCloseTo(30);
    expect(w[4]).toBeCloseTo(90);
    expect(parseWidth("wide")).toBeUndefined();
  });
});

describe("stack splitting", () => {
  it("splits at the first block that does not fit and honours page breaks", () => {
    const s = new Stack([
      box("a", 40),
      box("b", 40),
      { height: 0, pageBreak: true, split: () => null, paint: () => {} },
      box("c", 10),
    ]);
    const first = s.split(100, true)!;
    expect(first.head.height).toBe(80);
    const second = first.tail!.split(100, true)!;
    expect(second.head.height).toBe(10);
    expect(second.tail).toBeNull();
  });

  it("keeps a heading with the block after it", () => {
    const s = new Stack([box("a", 60), box("heading", 20, { keepWithNext: true }), box("b", 40)]);
    const split = s.split(100, true)!;
    expect(split.head.height).toBe(60);
    expect((split.tail as Stack).items).toHaveLength(2);
  });

  it("collapses spacing between blocks to the larger of the two", () => {
    expect(new Stack([box("a", 10, { spaceAfter: 6 }), box("b", 10, { spaceBefore: 4 })]).height).toBe(26);
  });
});

describe("pages", () => {
  const template = (name: string, flowHeight: number, frameHeight = 10): PageTemplate => ({
    name,
    width: 200,
    height: 300,
    frames: [
      {
        name: "footer",
        rect: { x: 0, y: 280, width: 200, height: frameHeight },
        content: { layout: () => box("footer", 12) },
      },
    ],
    flow: { x: 10, y: 10, width: 180, height: flowHeight },
  });

  it("fills pages one at a time and knows the page count before painting", () => {
    const body = { layout: () => new Stack(Array.from({ length: 10 }, (_, i) => box(`b${i}`, 30))) };
    const laid = composePages(body, template("first", 100, 20), template("rest", 200, 20), fakeEnv());
    expect(laid.pages.map((p) => p.template.name)).toEqual(["first", "rest", "rest"]);
    const painter = recordingPainter();
    const seen: string[] = [];
    paintDocument(laid, painter, (_t, page) => seen.push(`${page.number}/${page.count}`));
    expect(seen).toEqual(["1/3", "2/3", "3/3"]);
    expect(painter.texts.filter((t) => t.text.startsWith("b"))).toHaveLength(10);
  });

  it("reports content too tall for its frame and still paints all of it", () => {
    const t = template("all", 100, 10);
    const laid = composePages({ layout: () => box("x", 10) }, t, t, fakeEnv());
    expect(laid.problems.map((p) => p.code)).toEqual(["OMD_PDF_FRAME_OVERFLOW"]);
    expect(laid.problems[0].message).toContain('"footer"');
    const painter = recordingPainter();
    paintDocument(laid, painter, () => {});
    expect(painter.texts.map((x) => x.text)).toContain("footer");
  });

  it("places a block taller than a page whole and reports it", () => {
    const t = template("all", 100, 20);
    const laid = composePages({ layout: () => new Stack([box("small", 20), box("huge", 150)]) }, t, t, fakeEnv());
    expect(laid.pages).toHaveLength(2);
    expect(laid.problems.some((p) => p.code === "OMD_PDF_BLOCK_TOO_TALL" && p.message.includes("page 2"))).toBe(true);
  });
});
