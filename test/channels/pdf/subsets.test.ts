import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as fontkit from "fontkit";
import { describe, expect, it } from "vitest";
import { TrueTypeSource } from "../../../src/channels/pdf/paint/truetype-subset.ts";
import { pdfText, renderPdf } from "../../support/pdf-render.ts";
import { pdfView, sampleProfile } from "../../support/pdf-views.ts";

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
const BODY = "node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf";

/** fontkit's view of a glyph's outline and advance, to compare a subset's glyph with the source's. */
type Outlined = { path: { toSVG(): string }; advanceWidth: number; id: number };
const outline = (font: fontkit.Font, gid: number) => {
  const g = (font as unknown as { getGlyph(id: number): Outlined }).getGlyph(gid);
  return { path: g.path.toSVG(), advance: g.advanceWidth };
};

describe("TrueType subsets without hinting", () => {
  it("keeps each glyph's outline and advance, composites' components included, and drops the hinting", () => {
    const file = readFileSync(BODY);
    const source = fontkit.create(file);
    // Ż and ǅ are composites in DejaVu Sans (Z with a dot, D with ž); "fi" shapes to a ligature.
    const gids = [0, ...source.layout("Aé Żǅ fi €").glyphs.map((g) => g.id)].filter((g, i, a) => a.indexOf(g) === i);
    const glyphs = new TrueTypeSource(file).withComponents(gids.sort((a, b) => a - b));
    const program = new TrueTypeSource(file).encode(glyphs);
    expect(glyphs.length).toBeGreaterThan(gids.length);
    // A composite without its components cannot be written.
    expect(() => new TrueTypeSource(file).encode(gids)).toThrow("is not in the subset");
    const subset = fontkit.create(Buffer.from(program));
    expect((subset as unknown as { numGlyphs: number }).numGlyphs).toBe(glyphs.length);
    for (const [n, gid] of glyphs.entries()) expect(outline(subset, n), `glyph ${gid}`).toEqual(outline(source, gid));
    const tables = Object.keys((subset as unknown as { directory: { tables: object } }).directory.tables);
    expect(tables.sort()).toEqual(["glyf", "head", "hhea", "hmtx", "loca", "maxp"]);
    // The whole file sums to the magic number once head.checkSumAdjustment is in.
    let sum = 0;
    const v = new DataView(program.buffer, program.byteOffset, program.byteLength);
    for (let i = 0; i + 4 <= program.length; i += 4) sum = (sum + v.getUint32(i)) >>> 0;
    expect(sum).toBe(0xb1b0afba);
  });
});

describe("font subsets whose codes are the glyph ids", () => {
  it("writes a statement the same whatever its thread rendered before", async () => {
    const view = pdfView(sampleProfile("C0000001"));
    const first = await renderPdf(view);
    // Other glyphs met first (Greek, Cyrillic, Polish) leave the statement's codes and subsets as they were.
    const other = sampleProfile("C0000001");
    other.name = { title: "", first: "Αικατερίνη Łucja", last: "Смирнова-Żółkiewska" };
    await renderPdf(pdfView(other));
    const again = await renderPdf(view);
    expect(same(again.bytes, first.bytes)).toBe(true);
  });

  it("embeds subsets whose text copies back, whatever another document put in the cache first", async () => {
    const greek = sampleProfile("C0000001");
    greek.name = { title: "", first: "Αικατερίνη", last: "Παπαδοπούλου" };
    const latin = sampleProfile("C0000001");
    latin.name = { title: "", first: "Łucja", last: "Żółkiewska" };
    for (const p of [greek, latin, greek]) {
      const r = await renderPdf(pdfView(p));
      expect(pdfText(r.file, 1)).toContain(`${p.name.first} ${p.name.last}`);
      // pdffonts: every face embedded as a subset, no font left to the viewer.
      const fonts = execFileSync("pdffonts", [r.file], { encoding: "utf8" }).trim().split("\n").slice(2);
      expect(fonts.length).toBeGreaterThan(0);
      for (const line of fonts) expect(line).toMatch(/\s+yes\s+yes\s+yes\s+\d+\s+\d+$/);
    }
  });
});
