import { numberFormat } from "./numbers.ts";

/** The usage data the chart draws; the view's `usage` has this shape. */
export interface UsageSeries {
  unit: string;
  /** Oldest first; `label` is the short month name in the customer's language. */
  monthly: readonly { label: string; value: number }[];
  peerAverage: number;
}

/** The theme colours the chart uses; the brand `Theme` has them. */
export interface ChartTheme {
  colours: Record<"primary" | "secondary" | "text" | "muted" | "border" | "background", string>;
}

/** Words the chart shows, in the customer's language (from the template's locale labels). */
export interface UsageChartLabels {
  /** BCP 47 locale for numbers on the axis and in the summary, e.g. `fr-FR`. */
  locale: string;
  /** Legend and summary name of the bars, as shown, e.g. `Votre consommation (kWh)`. */
  usage: string;
  /** Legend and summary name of the line, e.g. `Moyenne des foyers similaires`. */
  peerAverage: string;
}

/**
 * One chart, described once as plain data: every rendering lays it out and draws it the same way
 * (`drawUsageChart`), plus the one-line text alternative. Renderings never mutate a spec.
 */
export interface UsageChartSpec {
  /** Month labels, oldest first, and the usage of each. */
  readonly months: readonly string[];
  readonly values: readonly number[];
  readonly peerAverage: number;
  /** BCP 47 locale of the value axis's numbers. */
  readonly locale: string;
  /** The legend's words for the bars and the line. */
  readonly legend: { readonly usage: string; readonly peerAverage: string };
  /** Bars in `secondary`, the peer line in `primary`, grid in `border`, labels in `text` and `muted`. */
  readonly colours: ChartTheme["colours"];
  /** Text size in CSS pixels, the chart's font being `CHART_FONT_FAMILY`. */
  readonly fontSize: number;
  readonly summary: string;
}

/** The 12-month usage bar chart with the peer-average line, coloured by the brand theme. */
export function usageChartSpec(
  usage: UsageSeries,
  theme: ChartTheme,
  labels: UsageChartLabels,
  style: { fontSize?: number } = {},
): UsageChartSpec {
  return {
    months: usage.monthly.map((m) => m.label),
    values: usage.monthly.map((m) => m.value),
    peerAverage: usage.peerAverage,
    locale: labels.locale,
    legend: { usage: labels.usage, peerAverage: labels.peerAverage },
    colours: theme.colours,
    // 11 suits print; an email image shrinks on a phone, so its caller asks for larger text.
    fontSize: style.fontSize ?? 11,
    summary: summarise(usage, labels),
  };
}

/** `Votre consommation (kWh) nov.–oct.: 210–480 kWh (max janv.); Foyers similaires: 310 kWh` */
function summarise(usage: UsageSeries, labels: UsageChartLabels): string {
  const n = numberFormat(labels.locale, 0);
  const values = usage.monthly.map((m) => m.value);
  if (values.length === 0)
    return `${labels.usage}: – ${usage.unit}; ${labels.peerAverage}: ${n.format(usage.peerAverage)} ${usage.unit}`;
  const first = usage.monthly[0].label;
  const last = usage.monthly[usage.monthly.length - 1].label;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const peak = usage.monthly[values.indexOf(max)].label;
  return (
    `${labels.usage} ${first}–${last}: ${n.format(min)}–${n.format(max)} ${usage.unit} ` +
    `(max ${peak}); ${labels.peerAverage}: ${n.format(usage.peerAverage)} ${usage.unit}`
  );
}
