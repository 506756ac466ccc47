import { describe, expect, it } from "vitest";
import { decodeQr, pageToPng, pdfInfo, pdfText, renderPdf } from "../../support/pdf-render.ts";
import { pdfView, sampleProfile, sampleProfiles, withCharges } from "../../support/pdf-views.ts";

const first = (pred: (p: ReturnType<typeof sampleProfile>) => boolean) => structuredClone(sampleProfiles().find(pred)!);

describe("energy-bill statement", () => {
  it("prints non-Latin names with their own glyphs and no missing-glyph warning", async () => {
    const p = sampleProfile("C0000001");
    const names = [
      { first: "Αικατερίνη", last: "Παπαδοπούλου" },
      { first: "Дмитрий", last: "Смирнов" },
      { first: "Nguyễn", last: "Thị Phương" },
      { first: "Łucja", last: "Żółkiewska-Ó'Súilleabháin" },
    ];
    for (const name of names) {
      p.name = { title: "", ...name };
      const r = await renderPdf(pdfView(p));
      expect(pdfText(r.file, 1)).toContain(`${name.first} ${name.last}`);
      expect(r.warnings.filter((w) => w.code === "OMD_PDF_MISSING_GLYPH")).toEqual([]);
    }
  });

  it("keeps copied text right after a decomposed letter (Ż) was printed", async () => {
    const p = sampleProfile("C0000001");
    p.name = { title: "", first: "Żaneta", last: "Zawadzka" };
    const r = await renderPdf(pdfView(p));
    expect(pdfText(r.file, 1)).toContain("Żaneta Zawadzka");
  });

  it("reports a character no font covers instead of printing a blank box unnoticed", async () => {
    const p = sampleProfile("C0000001");
    p.name.last = "Tanaka 田中";
    const r = await renderPdf(pdfView(p));
    const missing = r.warnings.filter((w) => w.code === "OMD_PDF_MISSING_GLYPH");
    expect(missing.map((w) => w.message).join("\n")).toMatch(/U\+7530/);
    expect(missing.map((w) => w.message).join("\n")).toMatch(/U\+4E2D/);
  });

  it("numbers pages as `Page X of Y` in the customer's language", async () => {
    const long = withCharges(sampleProfile("C0000001"), 60);
    const en = await renderPdf(pdfView(long));
    expect(en.pages).toBeGreaterThanOrEqual(3);
    for (let page = 1; page <= en.pages; page++)
      expect(pdfText(en.file, page)).toContain(`Page ${page} of ${en.pages}`);
    const fr = first((p) => p.preferences.language === "fr");
    const frPdf = await renderPdf(pdfView(withCharges(fr, 60)));
    expect(pdfText(frPdf.file, 2)).toContain(`Page 2 sur ${frPdf.pages}`);
  });

  it("spreads 60 charge lines over several pages, repeating the table header and never splitting a row", async () => {
    const r = await renderPdf(pdfView(withCharges(sampleProfile("C0000001"), 60)));
    const pagesWithLines: number[] = [];
    for (let page = 1; page <= r.pages; page++) {
      const text = pdfText(r.file, page);
      const lines = [...text.matchAll(/Charge line (\d+):/g)].map((m) => Number(m[1]));
      if (lines.length === 0) continue;
      pagesWithLines.push(page);
      // The header row sits above the first line on every page the table continues on.
      const header = text.indexOf("Description");
      expect(header).toBeGreaterThanOrEqual(0);
      expect(header).toBeLessThan(text.indexOf(`Charge line ${lines[0]}:`));
    }
    expect(pagesWithLines.length).toBeGreaterThanOrEqual(2);
    // Every line printed exactly once, in order.
    const all = [...pdfText(r.file).matchAll(/Charge line (\d+):/g)].map((m) => Number(m[1]));
    expect(all).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    // The totals rows follow the last line.
    const last = pdfText(r.file, r.pages);
    expect(last).toMatch(/Subtotal/);
  });

  it("prints a QR code that decodes to exactly the signed pay link, with the link beside it", async () => {
    const p = first((q) => !q.account.directDebit && q.account.balanceDue > 0 && q.preferences.language === "en");
    const view = pdfView(p);
    const r = await renderPdf(view);
    expect(decodeQr(pageToPng(r.file, 1, 150))).toEqual([view.links.pay]);
    expect(pdfText(r.file, 1).replace(/\s+/g, "")).toContain(view.links.pay);
  });

  it("shows direct-debit customers the direct-debit text instead of a pay code", async () => {
    const p = first((q) => q.account.directDebit && q.account.balanceDue > 0 && q.preferences.language === "en");
    const r = await renderPdf(pdfView(p));
    expect(pdfText(r.file, 1).replace(/\s+/g, " ")).toMatch(/by Direct Debit/);
    expect(decodeQr(pageToPng(r.file, 1, 100))).toEqual([]);
  });

  it("prints markup in profile fields literally", async () => {
    const p = sampleProfile("C0000001");
    p.name = { title: "", first: "</p><page-break/>", last: "<script>alert(1)</script>" };
    p.contact.address.lines = ['<frame name="x" x="0" y="0" width="1" height="1">&amp;</frame>'];
    const r = await renderPdf(pdfView(p));
    const text = pdfText(r.file, 1);
    expect(text).toContain("</p><page-break/> <script>alert(1)</script>");
    expect(text).toContain('<frame name="x" x="0" y="0"');
    expect(text).toContain("&amp;</frame>");
    const clean = await renderPdf(pdfView(sampleProfile("C0000001")));
    expect(r.pages).toBe(clean.pages);
  });

  it("draws the usage chart as vectors with selectable text and an alt text", async () => {
    const view = pdfView(sampleProfile("C0000001"));
    const r = await renderPdf(view);
    const text = pdfText(r.file, 1);
    expect(text).toContain("Your use (kWh)");
    expect(text).toContain("Similar homes");
    for (const m of view.usage.monthly) expect(text).toContain(m.label);
    expect(Buffer.from(r.bytes).toString("latin1")).not.toContain("/Subtype /Image");
  });

  it("leaves out items that may not appear on paper", async () => {
    const p = sampleProfile("C0000001");
    const withBoth = await renderPdf(pdfView(p));
    expect(pdfText(withBoth.file)).toContain("Go paperless");
    const emailOnly = await renderPdf(pdfView(p, { emailOnlySecond: true }));
    expect(pdfText(emailOnly.file)).not.toContain("Go paperless");
    expect(pdfText(emailOnly.file)).toContain("Get a free smart meter");
  });

  it("is deterministic: same view, same bytes; metadata from the run", async () => {
    const view = pdfView(sampleProfile("C0000002"));
    const a = await renderPdf(view);
    const b = await renderPdf(view);
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    const info = pdfInfo(a.file);
    expect(info).toMatch(/Title:\s+Votre relevé d’énergie/);
    expect(info).toMatch(/Author:\s+Northwind Energy/);
    expect(info).toMatch(/Subject:\s+.*57434883/);
    expect(info).toMatch(/Tagged:\s+yes/);
    expect(info).toMatch(/CreationDate:.*2026/);
    const other = await renderPdf(pdfView(sampleProfile("C0000003")));
    expect(Buffer.from(other.bytes).equals(Buffer.from(a.bytes))).toBe(false);
  });

  it("writes PDF/A-3b identification when asked", async () => {
    const view = pdfView(sampleProfile("C0000001"));
    const r = await renderPdf(view, "templates/energy-bill", { pdfa: true });
    const raw = Buffer.from(r.bytes).toString("latin1");
    expect(raw).toContain("<pdfaid:part>3</pdfaid:part>");
    expect(raw).toContain("<pdfaid:conformance>B</pdfaid:conformance>");
    expect(raw).toContain("/OutputIntents");
    const plain = await renderPdf(view);
    expect(Buffer.from(plain.bytes).toString("latin1")).not.toContain("pdfaid:part");
  });

  it("marks the language and structure for screen readers", async () => {
    const r = await renderPdf(pdfView(sampleProfile("C0000002")));
    const raw = Buffer.from(r.bytes).toString("latin1");
    expect(raw).toContain("/Lang (fr-FR)");
    expect(raw).toContain("/StructTreeRoot");
    for (const role of ["/H2", "/P", "/Table", "/TR", "/TH", "/TD", "/Figure"]) expect(raw).toContain(`/S ${role}`);
  });
});
