import {
  type ChartSize,
  type UsageChartSpec,
  drawUsageChart,
  layoutUsageChart,
  drawUsageChartMarks,
  usageChartSpec,
} from "../../assets/chart/index.ts";
import { type RenderCaches, cachePart } from "../../core/index.ts";
import { parseLength } from "../../layout/index.ts";
import type { Theme } from "../../templates/index.ts";
import { type View, fillLabel } from "../../view/index.ts";
import { CHART_DEFAULT, type PreparedChart } from "./elements/index.ts";
import { type MarkupElement, childElements } from "./markup.ts";
import { ColourOperators } from "./paint/colour-operators.ts";
import { PdfCanvas } from "./paint/pdf-canvas.ts";

/** Chart text is drawn at this share of its canvas size, so 11 px chart type prints near the body size. */
const TEXT_SCALE = 0.82;
/** The document's face the chart's texts are written in. */
const CHART_FACE = "body";
const CHART_COLOURS = cachePart("chart colour operators", () => new ColourOperators());

/**
 * Draws the chart onto the page's canvas: on the PDF painter's, its marks written as PDF operators from the
 * layout (`PdfChartPen`), laid out in the document's metrics; on any other 2D context, through its calls.
 */
function drawChart(
  ctx: CanvasRenderingContext2D,
  spec: UsageChartSpec,
  size: ChartSize,
  colours: ColourOperators,
): void {
  if (ctx instanceof PdfCanvas) {
    const pen = ctx.chartPen(CHART_FACE, spec.fontSize, colours);
    drawUsageChartMarks(pen, spec, layoutUsageChart(spec, size, pen.measure, 1), size);
  } else drawUsageChart(ctx, spec, size, 1);
}

function findCharts(el: MarkupElement, out: MarkupElement[]): MarkupElement[] {
  for (const child of childElements(el)) {
    if (child.name === "chart") out.push(child);
    else findCharts(child, out);
  }
  return out;
}

/**
 * Makes every `<chart>` of the markup ready to paint, with its size and text alternative: drawn straight into
 * the page, laid out in the document's own font metrics, with colour operators kept in the thread's `caches`.
 */
export async function prepareCharts(
  root: MarkupElement,
  view: View,
  theme: Theme,
  caches: RenderCaches,
): Promise<Map<MarkupElement, PreparedChart>> {
  const colours = caches.get(CHART_COLOURS);
  const charts = new Map<MarkupElement, PreparedChart>();
  for (const el of findCharts(root, [])) {
    const labels = view.labels;
    const spec = usageChartSpec(view.usage, theme, {
      locale: view.locale,
      usage: fillLabel(labels.usageLegend ?? "{unit}", { unit: view.usage.unit }),
      peerAverage: labels.usagePeerLegend ?? labels.peerAverage ?? "",
    });
    const width = Math.round((parseLength(el.attrs.width ?? "") ?? CHART_DEFAULT.width) / TEXT_SCALE);
    const height = Math.round((parseLength(el.attrs.height ?? "") ?? CHART_DEFAULT.height) / TEXT_SCALE);
    const size = { width, height };
    charts.set(el, { size, draw: (ctx) => drawChart(ctx, spec, size, colours), alt: spec.summary });
  }
  return charts;
}
