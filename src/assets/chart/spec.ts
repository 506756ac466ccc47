import type { ChartConfiguration } from "chart.js";
import { CHART_FONT_FAMILY } from "./font.ts";

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
 * One chart, described once: a Chart.js configuration made of plain data only (no callbacks), so every
 * rendering can clone it, plus the one-line text alternative. Renderings never mutate a spec.
 */
export interface UsageChartSpec {
  readonly config: ChartConfiguration<"bar" | "line", number[], string>;
  /** Fill drawn behind the chart (a plugin paints it: SVG and PNG have no background of their own). */
  readonly background: string;
  readonly summary: string;
}

/** The 12-month usage bar chart with the peer-average line, coloured by the brand theme. */
export function usageChartSpec(
  usage: UsageSeries,
  theme: ChartTheme,
  labels: UsageChartLabels,
  style: { fontSize?: number } = {},
): UsageChartSpec {
  const c = theme.colours;
  const months = usage.monthly.map((m) => m.label);
  const values = usage.monthly.map((m) => m.value);
  // 11 suits print; an email image shrinks on a phone, so its caller asks for larger text.
  const font = { family: CHART_FONT_FAMILY, size: style.fontSize ?? 11, weight: "normal" as const };
  const config: ChartConfiguration<"bar" | "line", number[], string> = {
    type: "bar",
    data: {
      labels: months,
      datasets: [
        {
          type: "bar",
          label: labels.usage,
          data: values,
          backgroundColor: c.secondary,
          borderWidth: 0,
          pointStyle: "rect",
          order: 2,
        },
        {
          type: "line",
          label: labels.peerAverage,
          data: months.map(() => usage.peerAverage),
          borderColor: c.primary,
          borderWidth: 2,
          borderDash: [6, 4],
          backgroundColor: c.primary,
          pointStyle: "line",
          pointRadius: 0,
          fill: false,
          order: 1,
        },
      ],
    },
    options: {
      locale: labels.locale,
      responsive: false,
      maintainAspectRatio: false,
      animation: false,
      events: [],
      layout: { padding: 4 },
      font,
      color: c.text,
      scales: {
        // Level labels, every month's when they fit: draw.ts spaces them out in the font it draws with.
        x: { grid: { display: false }, ticks: { color: c.text, font, autoSkip: false, maxRotation: 0 } },
        y: {
          beginAtZero: true,
          grid: { color: c.border },
          border: { display: false },
          ticks: { color: c.muted, font, maxTicksLimit: 6 },
        },
      },
      plugins: {
        // Legend items follow the datasets' drawing order (line on top); reversed, the bars come first.
        legend: {
          position: "bottom",
          reverse: true,
          labels: { color: c.text, font, usePointStyle: true, pointStyleWidth: 18 },
        },
        tooltip: { enabled: false },
      },
    },
  };
  return { config, background: c.background, summary: summarise(usage, labels) };
}

/**
 * Whole-number formats by locale: making one costs more than the rest of a summary. Kept for the process, not
 * in the render caches: an Intl.NumberFormat is immutable and a function of its locale alone, so engines
 * sharing one get what each would make; one entry a locale.
 */
const integerFormats = new Map<string, Intl.NumberFormat>();

function integerFormat(locale: string): Intl.NumberFormat {
  let f = integerFormats.get(locale);
  if (!f) {
    f = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
    integerFormats.set(locale, f);
  }
  return f;
}

/** `Votre consommation (kWh) nov.–oct.: 210–480 kWh (max janv.); Foyers similaires: 310 kWh` */
function summarise(usage: UsageSeries, labels: UsageChartLabels): string {
  const n = integerFormat(labels.locale);
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
