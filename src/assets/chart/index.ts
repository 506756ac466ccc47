/**
 * One usage chart spec and its renderings: PNG (email), one line of text (SMS, alt text) and an SVG export; the
 * PDF channel writes the same marks straight into the page (`drawUsageChartMarks` with its own pen). Call
 * `registerChartGlobals` (the chart font, process-wide) before rendering.
 */
export { type ChartPen, drawUsageChart, drawUsageChartMarks, type TextAlignment } from "./draw.ts";
export { CHART_FONT_FAMILY } from "./font.ts";
export { layoutUsageChart } from "./layout.ts";
export type { ChartSize, PlacedText, Rect, Segment, UsageChartLayout } from "./layout.ts";
export { registerChartGlobals } from "./library-globals.ts";
export {
  type ChartTheme,
  type UsageChartLabels,
  type UsageChartSpec,
  type UsageSeries,
  usageChartSpec,
} from "./spec.ts";
export { type PngOptions, toPng } from "./to-png.ts";
export { toSvg } from "./to-svg.ts";
export { toText } from "./to-text.ts";
