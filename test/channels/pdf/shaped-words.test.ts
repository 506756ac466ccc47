import { describe, expect, it, vi } from "vitest";
import { fontMetrics } from "../../../src/channels/pdf/fonts.ts";
import { compiledTemplate, pdfText, renderPdf } from "../../support/pdf-render.ts";
import { pdfView, sampleProfile } from "../../support/pdf-views.ts";

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

describe("shaped words shared between documents", () => {
  it("paints a statement from the words its layout shaped: a second rendering shapes nothing", async () => {
    const { fonts } = await compiledTemplate("templates/energy-bill");
    const view = pdfView(sampleProfile("C0000001"));
    await renderPdf(view);
    const layout = vi.spyOn(fonts.body.font, "layout");
    try {
      await renderPdf(view);
      expect(layout).not.toHaveBeenCalled();
    } finally {
      layout.mockRestore();
    }
  });

  it("keeps at most 10,000 words a face, and a statement rendered after many others is byte for byte the same", async () => {
    const { fonts } = await compiledTemplate("templates/energy-bill");
    const profile = sampleProfile("C0000001");
    const view = pdfView(profile);
    const first = await renderPdf(view);
    // As a long run does: customers' own words (amounts, account numbers) push older words out.
    const metrics = fontMetrics(fonts);
    for (let i = 0; i < 12_000; i++) metrics.width(`A${i}`, "body", 10);
    expect(fonts.body.words.size).toBeLessThanOrEqual(10_000);
    const later = await renderPdf(view);
    expect(fonts.body.words.size).toBeLessThanOrEqual(10_000);
    expect(same(later.bytes, first.bytes)).toBe(true);
    expect(pdfText(later.file, 1)).toContain(profile.name.last);
  });
});
