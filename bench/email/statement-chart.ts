/**
 * The usage chart's share of a PDF statement: CPU time inside the painter's chart (`PdfkitPainter.chart`,
 * where the chart is drawn into the page; `PdfkitPainter.canvas` in checkouts before 2026-12-06 15:30 UTC) and
 * of the whole render, per statement, over N energy-bill statements of the sample customers, 3 rounds after 20
 * warm-up renders. ROOT is the checkout to measure (this
 * one by default; another, e.g. `git archive COMMIT | tar -x -C DIR` with `node_modules` linked, to compare).
 * Usage: npx tsx bench/email/statement-chart.ts [ROOT] [N=100]
 */
import os from "node:os";
import { fileURLToPath } from "node:url";
import { cpuMs } from "./checkouts.ts";

const ROOT = process.argv[2] || fileURLToPath(new URL("../..", import.meta.url));
const N = Number(process.argv[3] ?? 100);
const { compiledTemplate } = await import(`${ROOT}/test/support/pdf-render.ts`);
const { pdfView, sampleProfiles } = await import(`${ROOT}/test/support/pdf-views.ts`);
const { pdfChannel } = await import(`${ROOT}/src/channels/pdf/index.ts`);
const { PdfkitPainter } = await import(`${ROOT}/src/channels/pdf/paint/pdfkit-painter.ts`);

let chartMs = 0;
// The painter's method that draws the chart: `chart`, or `canvas` in older checkouts.
const method = "chart" in PdfkitPainter.prototype ? "chart" : "canvas";
const drawChart = PdfkitPainter.prototype[method];
PdfkitPainter.prototype[method] = function (...args: unknown[]) {
  const t = cpuMs();
  try {
    return drawChart.apply(this, args);
  } finally {
    chartMs += cpuMs() - t;
  }
};

const compiled = await compiledTemplate("templates/energy-bill");
const views = sampleProfiles()
  .slice(0, N)
  .map((p: unknown) => pdfView(p));
const context = { warnings: { warn: () => {} } };
const render = async (view: unknown) => {
  const r = await pdfChannel.render(compiled, view, context);
  if (!r.ok) throw new Error(r.problems.map((p: { message: string }) => p.message).join("; "));
};
for (const v of views.slice(0, 20)) await render(v);
const rounds: string[] = [];
for (let round = 0; round < 3; round++) {
  chartMs = 0;
  const start = cpuMs();
  for (const v of views) await render(v);
  rounds.push(`${((cpuMs() - start) / views.length).toFixed(2)} (chart ${(chartMs / views.length).toFixed(2)})`);
}
console.log(
  `${ROOT}: CPU ms a statement, by round: ${rounds.join(", ")}; load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
