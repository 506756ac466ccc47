import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildEngine, compose, nodeWorld, parseProfileLine } from "../../../src/index.ts";
import { generateLines, inArrears } from "../../support/customers.ts";
import { renderPdf, scratchDir } from "../../support/pdf-render.ts";
import { pdfView, sampleProfile, withCharges } from "../../support/pdf-views.ts";
import { type PdfUaReport, checkPdfUa, failuresOf } from "../../support/pdfua.ts";

/** A node of the structure tree as pdf.js gives it for one page. */
interface StructNode {
  role?: string;
  type?: string;
  id?: string;
  children?: StructNode[];
}

/**
 * A second reader of the structure tree, the one Firefox uses: per page, the roles in order and, for each
 * Link element, the annotations it holds, with the page's link annotations.
 */
async function readWithPdfJs(file: string): Promise<{ roles: string[]; links: string[][]; annotations: string[] }[]> {
  const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const doc = await getDocument({ data: new Uint8Array(readFileSync(file)), verbosity: 0 }).promise;
  const pages = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const roles: string[] = [];
    const links: string[][] = [];
    const walk = (node: StructNode) => {
      if (node.role) roles.push(node.role);
      if (node.role === "Link")
        links.push((node.children ?? []).filter((c) => c.type === "object").map((c) => c.id ?? ""));
      for (const child of node.children ?? []) walk(child);
    };
    walk((await page.getStructTree()) as StructNode);
    const annotations = (await page.getAnnotations())
      .filter((a: { subtype: string }) => a.subtype === "Link")
      .map((a: { id: string }) => a.id);
    pages.push({ roles, links, annotations });
  }
  await doc.destroy();
  return pages;
}

/** Generated customers in English, French and German; each composed with both templates, every other one PDF/A. */
const COUNT = 45;
const TEMPLATES = ["energy-bill", "payment-reminder"] as const;

describe("PDF/UA-1 and PDF/A-3 metadata of every template, over generated customers", () => {
  const files: { file: string; template: string; language: string; pdfa: boolean }[] = [];
  let reports: Record<string, PdfUaReport> = {};

  beforeAll(async () => {
    const engine = await buildEngine(nodeWorld());
    if (!engine.ok) throw new Error(JSON.stringify(engine.problems));
    const dir = scratchDir("pdfua");
    const lines = generateLines(COUNT, "--seed", "15", "--locale", "en-GB,fr-FR,de-DE");
    for (const [i, line] of lines.entries()) {
      const profile = parseProfileLine(line, i + 1);
      if (!profile.ok) throw new Error(JSON.stringify(profile.problems));
      for (const template of TEMPLATES) {
        const pdfa = i % 2 === 1;
        // The reminder only for customers in its audience, so every generated customer makes one.
        const customer = template === "payment-reminder" ? inArrears(profile.value) : profile.value;
        const r = await compose(engine.value, customer, {
          template,
          channels: ["pdf"],
          runDate: profile.value.account.statementDate,
          channelOptions: { pdfa },
        });
        if (!r.ok || !r.value.pdf) throw new Error(JSON.stringify(r.ok ? r.value.problems : r.problems));
        const file = join(dir, `${template}-${profile.value.id}${pdfa ? "-a" : ""}.pdf`);
        writeFileSync(file, r.value.pdf.bytes);
        files.push({ file, template, language: profile.value.preferences.language, pdfa });
      }
    }
    // A statement long enough to continue its table and its links on further pages.
    const long = await renderPdf(pdfView(withCharges(sampleProfile("C0000001"), 60)), "templates/energy-bill", {
      pdfa: true,
    });
    files.push({ file: long.file, template: "energy-bill", language: "en", pdfa: true });
    reports = checkPdfUa(files.map((f) => f.file));
  }, 300_000);

  it("covers both templates in every language, plain and PDF/A", () => {
    for (const template of TEMPLATES)
      for (const language of ["en", "fr", "de"])
        for (const pdfa of [false, true])
          expect(
            files.some((f) => f.template === template && f.language === language && f.pdfa === pdfa),
            `${template} ${language}${pdfa ? " PDF/A" : ""}`,
          ).toBe(true);
  });

  it("meets every machine-checkable Matterhorn condition the checker reads, and PDF/A's Info = XMP", () => {
    // 06-002 pdfuaid, 07-001 DisplayDocTitle, 09-004 table rows, 14-002/14-003 headings, 15-003 TH Scope,
    // 28-004/28-011/28-012 links, 31-009 fonts, 01-005 content tagged or artifact; A3-6.6.2.3.x for PDF/A.
    expect(failuresOf(reports)).toEqual([]);
  });

  it("starts every document's outline at H1", () => {
    for (const { file } of files) expect(reports[file].headings[0], file).toBe(1);
  });

  it("reads the same with pdf.js: H1 first, every link annotation in exactly one Link element", async () => {
    const sample = [...TEMPLATES.flatMap((t) => files.filter((f) => f.template === t).slice(0, 6)), files.at(-1)!];
    for (const { file } of sample) {
      const pages = await readWithPdfJs(file);
      expect(
        pages[0].roles.find((r) => /^H\d$/.test(r)),
        file,
      ).toBe("H1");
      for (const page of pages) {
        const inLinks = page.links.flat();
        expect(page.links.every((l) => l.length > 0)).toBe(true);
        expect([...inLinks].sort(), file).toEqual([...page.annotations].sort());
      }
    }
  });

  it("makes one Link element of a link that wraps over lines, each of its annotations described", () => {
    const statements = files.filter((f) => f.template === "energy-bill").map((f) => reports[f.file]);
    const wrapped = statements.flatMap((r) => r.links).filter((l) => l.annotations > 1);
    expect(wrapped.length).toBeGreaterThan(0);
    for (const link of statements.flatMap((r) => r.links)) {
      expect(link.contents).toHaveLength(1);
      expect(link.contents[0].trim()).not.toBe("");
    }
  });
});

describe("PDF/UA-1 for markup that is not outlined for it", () => {
  it("tags headings in order whatever levels were written, and says which were changed", async () => {
    const p = sampleProfile("C0000001");
    const r = await renderPdf(pdfView(p), "test/channels/pdf/fixtures/outline");
    const report = checkPdfUa([r.file])[r.file];
    expect(report.headings).toEqual([1, 1, 2, 2]);
    expect(r.warnings.filter((w) => w.code === "OMD_PDF_HEADING_LEVEL").map((w) => w.message)).toEqual([
      "a level-3 heading has no level-2 heading above it: tagged H1 for screen readers",
      "a level-3 heading has no level-2 heading above it: tagged H2 for screen readers",
    ]);
    expect(report.failures).toEqual([]);
  });

  it("gives header cells a Scope, and a short row's last cell the columns it lacks", async () => {
    const r = await renderPdf(pdfView(sampleProfile("C0000001")), "test/channels/pdf/fixtures/outline");
    const report = checkPdfUa([r.file])[r.file];
    expect(report.scopes).toEqual(["Column", "Column", "Column", "Row"]);
    expect(report.failures.filter(([id]) => id === "09-004" || id === "15-003")).toEqual([]);
  });

  it("makes a link of several styles one annotation a line, described by the link's words", async () => {
    const view = pdfView(sampleProfile("C0000001"));
    const r = await renderPdf(view, "test/channels/pdf/fixtures/outline");
    const report = checkPdfUa([r.file])[r.file];
    const [footer, pay, ...rest] = report.links;
    expect(footer).toEqual({ annotations: 1, contents: ["Help"] });
    expect(pay.contents).toEqual([view.links.pay]);
    expect(pay.annotations).toBeGreaterThan(1);
    expect(rest).toEqual([
      { annotations: 1, contents: ["a bold link"] },
      { annotations: 1, contents: ["another"] },
    ]);
    expect(report.failures).toEqual([]);
  });

  it("keeps the XMP well-formed and equal to the Info dictionary when the title holds & and <", async () => {
    const p = sampleProfile("C0000001");
    p.name = { title: "", first: "Tom & <Jerry>", last: "O'Brien" };
    const r = await renderPdf(pdfView(p), "test/channels/pdf/fixtures/outline", { pdfa: true });
    expect(checkPdfUa([r.file])[r.file].failures).toEqual([]);
  });
});
