import { drawUsageChartMarks, layoutUsageChart, usageChartSpec } from "../../assets/chart/index.ts";
import { parseLength } from "../../layout/index.ts";
import type { Theme } from "../../templates/index.ts";
import { type View, fillLabel } from "../../view/index.ts";
import { CHART_DEFAULT, type PreparedChart } from "./elements/index.ts";
import { type MarkupElement, childElements } from "./markup.ts";

/** Chart text is drawn at this share of its canvas size, so 11 px chart type prints near the body size. */
const TEXT_SCALE = 0.82;
/** The document's face the chart's texts are written in. */
const CHART_FACE = "body";

function findCharts(el: MarkupElement, out: MarkupElement[]): MarkupElement[] {
  for (const child of childElements(el)) {
    if (child.name === "chart") out.push(child);
    else findCharts(child, out);
  }
  return out;
}

/**
 * Makes every `<chart>` of the markup ready to paint, with its size and text alternative: its marks written
 * straight into the page by the painter's pen (`drawUsageChartMarks`), laid out in the document's own font metrics.
 */
export async function prepareCharts(
  root: MarkupElement,
  view: View,
  theme: Theme,
): Promise<Map<MarkupElement, PreparedChart>> {
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
    charts.set(el, {
      size,
      text: { face: CHART_FACE, size: spec.fontSize },
      draw: (pen, measure) => drawUsageChartMarks(pen, spec, layoutUsageChart(spec, size, measure, 1), size),
      alt: spec.summary,
    });
  }
  return charts;
}
