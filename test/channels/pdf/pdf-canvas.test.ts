import PDFDocument from "pdfkit";
import { describe, expect, it } from "vitest";
import { PdfCanvas } from "../../../src/channels/pdf/paint/pdf-canvas.ts";
import type { FontMetrics } from "../../../src/layout/index.ts";

/** The page content pdfkit writes for what `draw` does on a canvas of the page's size. */
async function pageContent(draw: (ctx: PdfCanvas) => void): Promise<string> {
  const doc = new PDFDocument({ compress: false, size: [200, 200] });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const ended = new Promise((done) => doc.on("end", done));
  draw(new PdfCanvas(doc, {} as FontMetrics, 200, 200));
  doc.end();
  await ended;
  const pdf = Buffer.concat(chunks).toString("latin1");
  return /stream\n([\s\S]*?)\nendstream/.exec(pdf)?.[1] ?? "";
}

describe("the PDF canvas Chart.js draws on", () => {
  it("keeps the path after a fill, as a canvas does, so a fill then a stroke paints both", async () => {
    const content = await pageContent((ctx) => {
      ctx.beginPath();
      ctx.rect(10, 20, 30, 4);
      ctx.fillStyle = "#ff0000";
      ctx.fill();
      ctx.strokeStyle = "#0000ff";
      ctx.lineWidth = 2;
      ctx.stroke();
    });
    // Each paint traces the path again, right before its operator: PDF allows nothing in between.
    expect(content.match(/10 20 30 4 re/g)).toHaveLength(2);
    expect(content).toMatch(/10 20 30 4 re\nf\n/);
    expect(content).toMatch(/10 20 30 4 re\nS\n/);
  });

  it("starts a new path at beginPath, and paints fillRect apart from the current path", async () => {
    const content = await pageContent((ctx) => {
      ctx.beginPath();
      ctx.moveTo(1, 1);
      ctx.lineTo(5, 5);
      ctx.stroke();
      ctx.fillRect(50, 50, 10, 10);
      ctx.beginPath();
      ctx.rect(70, 70, 5, 5);
      ctx.stroke();
    });
    expect(content.match(/1 1 m/g)).toHaveLength(1);
    expect(content.match(/50 50 10 10 re/g)).toHaveLength(1);
    expect(content).toMatch(/70 70 5 5 re\nS\n/);
  });
});
