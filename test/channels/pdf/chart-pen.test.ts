import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PDFDocument, type PDFRawStream, decodePDFRawStream } from "pdf-lib";
import { describe, expect, it } from "vitest";
import {
  drawUsageChart,
  drawUsageChartMarks,
  layoutUsageChart,
  type UsageChartSpec,
  usageChartSpec,
} from "../../../src/assets/chart/index.ts";
import { openPdf } from "../../../src/channels/pdf/paint/document.ts";
import { ColourOperators } from "../../../src/channels/pdf/paint/colour-operators.ts";
import { PdfCanvas } from "../../../src/channels/pdf/paint/pdf-canvas.ts";
import { CHART_THEME } from "../../support/chart-theme.ts";
import { compiledTemplate, pageToPng, pdfText, scratchDir } from "../../support/pdf-render.ts";

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

/** A one-page PDF in the statement's faces with the chart drawn onto a canvas of `SIZE` by `draw`. */
async function chartPdf(name: string, draw: (canvas: PdfCanvas) => void): Promise<{ file: string; bytes: Uint8Array }> {
  const compiled = await compiledTemplate("templates/energy-bill");
  const meta = { title: "chart", author: "", subject: "", lang: "fr-FR", runDate: "2026-01-01", id: "0".repeat(32) };
  const pdf = openPdf({ ...meta, pdfa: false, tagged: false }, compiled.fonts, compiled.deflater);
  pdf.doc.addPage({ size: [SIZE.width, SIZE.height], margin: 0 });
  draw(new PdfCanvas(pdf.doc, compiled.metrics, SIZE.width, SIZE.height));
  const bytes = await pdf.finish();
  const file = join(scratchDir("chart-pen"), `${name}.pdf`);
  writeFileSync(file, bytes);
  return { file, bytes };
}

const throughThePen = (canvas: PdfCanvas, chart: UsageChartSpec) => {
  const pen = canvas.chartPen("body", chart.fontSize, new ColourOperators());
  drawUsageChartMarks(pen, chart, layoutUsageChart(chart, SIZE, pen.measure, 1), SIZE);
};

async function pageContent(bytes: Uint8Array): Promise<string> {
  const doc = await PDFDocument.load(bytes);
  const stream = doc.context.lookup(doc.getPages()[0].node.Contents()) as PDFRawStream;
  return Buffer.from(decodePDFRawStream(stream).decode()).toString("latin1");
}

describe("the usage chart written as PDF operators", () => {
  it("draws what the canvas adapter draws for the same chart, pixel for pixel, and the same text", async () => {
    const adapter = await chartPdf("adapter", (canvas) =>
      drawUsageChart(canvas as unknown as CanvasRenderingContext2D, spec, SIZE, 1),
    );
    const pen = await chartPdf("pen", (canvas) => throughThePen(canvas, spec));
    expect(readFileSync(pageToPng(pen.file, 1, 100)).equals(readFileSync(pageToPng(adapter.file, 1, 100)))).toBe(true);
    expect(pdfText(pen.file, 1, true)).toBe(pdfText(adapter.file, 1, true));
    expect(pdfText(pen.file, 1, true)).toContain("Foyers similaires");
  });

  it("sets each colour, line width and dash once, and only the month axis's line translucent", async () => {
    const content = await pageContent((await chartPdf("pen-content", (canvas) => throughThePen(canvas, spec))).bytes);
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
