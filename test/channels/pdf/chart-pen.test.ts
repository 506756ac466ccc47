import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { PDFDocument, type PDFRawStream, decodePDFRawStream } from "pdf-lib";
import { describe, expect, it } from "vitest";
import {
  type UsageChartLayout,
  drawUsageChartMarks,
  layoutUsageChart,
  usageChartSpec,
} from "../../../src/assets/chart/index.ts";
import { openPdf } from "../../../src/channels/pdf/paint/document.ts";
import { ColourOperators } from "../../../src/channels/pdf/paint/colour-operators.ts";
import { PdfChartPen } from "../../../src/channels/pdf/paint/chart-pen.ts";
import { CHART_THEME } from "../../support/chart-theme.ts";
import { compiledTemplate, pdfText, scratchDir } from "../../support/pdf-render.ts";

const SIZE = { width: 360, height: 194 };
const month = new Intl.DateTimeFormat("fr-FR", { month: "short", timeZone: "UTC" });
const spec = usageChartSpec(
  {
    unit: "kWh",
    monthly: [410, 380, 455, 300, 250, 190, 160, 150, 170, 220, 310, 0].map((value, i) => ({
      label: month.format(new Date(Date.UTC(2025, 10 + i, 1))),
      value,
    })),
    peerAverage: 280,
  },
  CHART_THEME,
  { locale: "fr-FR", usage: "Votre consommation (kWh)", peerAverage: "Foyers similaires" },
);

/** A one-page PDF of `SIZE` in the statement's faces with the chart's marks written by the PDF pen. */
async function chartPdf(name: string): Promise<{ file: string; bytes: Uint8Array; layout: UsageChartLayout }> {
  const compiled = await compiledTemplate("templates/energy-bill");
  const meta = { title: "chart", author: "", subject: "", lang: "fr-FR", runDate: "2026-01-01", id: "0".repeat(32) };
  const pdf = openPdf({ ...meta, pdfa: false, tagged: false }, compiled.fonts, compiled.deflater);
  pdf.doc.addPage({ size: [SIZE.width, SIZE.height], margin: 0 });
  const pen = new PdfChartPen(pdf.doc, compiled.metrics, "body", spec.fontSize, new ColourOperators());
  const layout = layoutUsageChart(spec, SIZE, pen.measure, 1);
  drawUsageChartMarks(pen, spec, layout, SIZE);
  const bytes = await pdf.finish();
  const file = join(scratchDir("chart-pen"), `${name}.pdf`);
  writeFileSync(file, bytes);
  return { file, bytes, layout };
}

async function pageContent(bytes: Uint8Array): Promise<string> {
  const doc = await PDFDocument.load(bytes);
  const stream = doc.context.lookup(doc.getPages()[0].node.Contents()) as PDFRawStream;
  return Buffer.from(decodePDFRawStream(stream).decode()).toString("latin1");
}

describe("the usage chart written as PDF operators", () => {
  it("writes the chart's texts as text in the statement's face, with the layout's labels", async () => {
    const { file, layout } = await chartPdf("pen-text");
    const text = pdfText(file, 1, true);
    const labels = [...layout.monthLabels, ...layout.legend.texts, ...layout.valueLabels];
    expect(labels.length).toBeGreaterThan(10);
    for (const label of labels) expect(text).toContain(label.text);
    expect(text).toContain("Foyers similaires");
  });

  it("sets each colour, line width and dash once, and only the month axis's line translucent", async () => {
    const content = await pageContent((await chartPdf("pen-content")).bytes);
    const count = (op: RegExp) => content.match(op)?.length ?? 0;
    // Ground, text, values' text, bars: four fills; grid, axis line, peer line: three strokes.
    expect(count(/ scn\n/g)).toBe(4);
    expect(count(/ SCN\n/g)).toBe(3);
    expect(count(/ w\n/g)).toBe(2);
    expect(count(/ d\n/g)).toBe(3);
    expect(count(/ gs\n/g)).toBe(1);
    expect(content).toMatch(/\nq\n\/DeviceRGB CS\n0 0 0 SCN\n\/Gs1 gs\n[^q]* l\nS\nQ\n/);
    // Twelve bars and the legend's swatch, each a path of its own, and the ground.
    expect(count(/ re\nf\n/g)).toBe(14);
  });
});
