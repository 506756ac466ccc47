import { type ChartSize, RelayContext, UsageChartCanvas, usageChartSpec } from "../../assets/chart/index.ts";
import { type RenderCaches, cachePart, createRenderCaches } from "../../core/index.ts";
import { parseLength } from "../../layout/index.ts";
import type { Theme } from "../../templates/index.ts";
import { type View, fillLabel } from "../../view/index.ts";
import { CHART_DEFAULT, type PreparedChart } from "./elements/index.ts";
import { type MarkupElement, childElements } from "./markup.ts";

/** Chart text is drawn at this share of its canvas size, so 11 px chart type prints near the body size. */
const TEXT_SCALE = 0.82;

/** One chart kept for charts of one size, drawing into each page's canvas through its relay. */
interface KeptChart {
  relay: RelayContext;
  chart: UsageChartCanvas;
}

/**
 * Charts kept between statements, by size: the painter makes a canvas for each chart it places, and a chart
 * made afresh for each statement cost a fifth of its drawing. A kept chart is lent each page's canvas in turn.
 */
const KEPT_CHARTS = cachePart("PDF charts by size", () => new Map<string, KeptChart>());

function keptChart(caches: RenderCaches, size: ChartSize): KeptChart {
  const kept = caches.get(KEPT_CHARTS);
  const key = `${size.width}x${size.height}`;
  let k = kept.get(key);
  if (!k) {
    const relay = new RelayContext(size.width, size.height);
    k = { relay, chart: new UsageChartCanvas(relay.context, 1) };
    kept.set(key, k);
  }
  return k;
}

function findCharts(el: MarkupElement, out: MarkupElement[]): MarkupElement[] {
  for (const child of childElements(el)) {
    if (child.name === "chart") out.push(child);
    else findCharts(child, out);
  }
  return out;
}

/**
 * Makes every `<chart>` of the markup ready to paint, with its size and text alternative; drawn by the charts
 * kept in `caches` (the render thread's), or by charts of its own when none are given.
 */
export async function prepareCharts(
  root: MarkupElement,
  view: View,
  theme: Theme,
  caches: RenderCaches = createRenderCaches(),
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
    const { relay, chart } = keptChart(caches, { width, height });
    charts.set(el, {
      size: { width, height },
      draw: (ctx) => relay.lend(ctx, () => chart.draw(spec)),
      alt: spec.summary,
    });
  }
  return charts;
}
