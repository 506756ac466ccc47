import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { compiledTemplate, pdfText, renderPdf } from "../../support/pdf-render.ts";
import { pdfView, sampleProfile } from "../../support/pdf-views.ts";

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

describe("font subsets shared between documents", () => {
  it("encodes a subset once and reuses it, with the bytes a fresh encoding gives", async () => {
    const { fonts } = await compiledTemplate("templates/energy-bill");
    const view = pdfView(sampleProfile("C0000001"));
    const first = await renderPdf(view);
    const encoded = fonts.body.subsets.encoded.size;
    expect(encoded).toBeGreaterThan(0);

    const again = await renderPdf(view);
    expect(fonts.body.subsets.encoded.size).toBe(encoded);
    expect(same(again.bytes, first.bytes)).toBe(true);

    fonts.body.subsets.encoded.clear();
    fonts.bold.subsets.encoded.clear();
    const fresh = await renderPdf(view);
    expect(same(fresh.bytes, first.bytes)).toBe(true);
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
