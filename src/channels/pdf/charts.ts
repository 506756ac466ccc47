import { toSvg, usageChartSpec } from "../../assets/chart/index.ts";
import type { Theme } from "../../templates/index.ts";
import { type View, fillLabel } from "../../view/index.ts";
import { parseLength } from "../../layout/index.ts";
import { CHART_DEFAULT, type PreparedChart } from "./elements/index.ts";
import { type MarkupElement, childElements } from "./markup.ts";

/** Chart text is drawn at this share of its SVG size, so 11 px chart type prints near the body size. */
const TEXT_SCALE = 0.82;

function findCharts(el: MarkupElement, out: MarkupElement[]): MarkupElement[] {
  for (const child of childElements(el)) {
    if (child.name === "chart") out.push(child);
    else findCharts(child, out);
  }
  return out;
}

/** Draws every `<chart>` of the markup as SVG (asynchronous), before the synchronous build. */
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
    const width = parseLength(el.attrs.width ?? "") ?? CHART_DEFAULT.width;
    const height = parseLength(el.attrs.height ?? "") ?? CHART_DEFAULT.height;
    const svg = await toSvg(spec, { width: Math.round(width / TEXT_SCALE), height: Math.round(height / TEXT_SCALE) });
    charts.set(el, { svg, alt: spec.summary });
  }
  return charts;
}
