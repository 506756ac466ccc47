/**
 * One usage chart spec and its renderings: PNG (email), one line of text (SMS, alt text) and an SVG export; the
 * PDF channel has Chart.js draw the same spec straight into the page (`UsageChartCanvas`, lent the page's canvas
 * through a `RelayContext`). Call `registerChartGlobals` (the libraries' process-wide set-up) before rendering.
 */
export { UsageChartCanvas } from "./draw.ts";
export { CHART_FONT_FAMILY } from "./font.ts";
export { registerChartGlobals } from "./library-globals.ts";
export { RelayContext } from "./relay-context.ts";
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
