/**
 * One usage chart spec, three renderings: SVG with real text (PDF, vector), PNG (email), one line of text
 * (SMS, alt text). Register the chart font once per process with `registerChartFont` before rendering.
 */
export { CHART_FONT_FAMILY, registerChartFont } from "./font.ts";
export {
  type ChartTheme,
  type UsageChartLabels,
  type UsageChartSpec,
  type UsageSeries,
  usageChartSpec,
} from "./spec.ts";
export { type PngOptions, toPng } from "./to-png.ts";
export { type ChartSize, toSvg } from "./to-svg.ts";
export { toText } from "./to-text.ts";
