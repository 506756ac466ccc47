import { createCanvas } from "@napi-rs/canvas";
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  type Plugin,
  PointElement,
} from "chart.js";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import {
  CHART_FONT_FAMILY,
  type ChartSize,
  layoutUsageChart,
  registerChartGlobals,
  type UsageChartSpec,
  usageChartSpec,
} from "../../src/assets/chart/index.ts";
import { nodeWorld } from "../../src/node-world.ts";
import { CHART_THEME } from "../support/chart-theme.ts";

/**
 * The chart's own layout against Chart.js 4 (a development dependency, kept for this reference alone) drawing
 * the chart configured as omnidoc configured it before it drew the chart itself: the value axis's ticks and
 * labels, the plot area, the bars, the peer line, the month labels shown and the legend's items must be where
 * Chart.js puts them, for many generated series: small, large, negative and equal values, zeros, one month or
 * none, long month names, narrow charts whose labels must be thinned and whose legend wraps.
 */

const theme = CHART_THEME;

/** Least space between month labels: what omnidoc's Chart.js plugin kept, as the layout does. */
const LABEL_GAP = 2;

/** omnidoc's month-label plugin for Chart.js, as it was: thins the labels counting back from the latest. */
const monthLabelsApart: Plugin<"bar" | "line"> = {
  id: "monthLabelsApart",
  afterUpdate(chart) {
    const scale = chart.scales.x;
    const labels = (chart.data.labels ?? []) as string[];
    if (!scale || labels.length < 2) return;
    chart.ctx.save();
    chart.ctx.font = `normal normal ${(chart.options.font as { size: number }).size}px ${CHART_FONT_FAMILY}`;
    const widths = labels.map((l) => chart.ctx.measureText(l).width);
    chart.ctx.restore();
    const slot = scale.width / labels.length;
    const apart = (step: number) =>
      widths.every((w, i) => i < step || (w + widths[i - step]) / 2 + LABEL_GAP <= step * slot);
    let step = 1;
    while (step < labels.length && !apart(step)) step++;
    if (step === 1) return;
    const kept = [];
    for (let i = labels.length - 1; i >= 0; i -= step) kept.unshift({ value: i, label: labels[i] });
    scale.ticks = kept;
  },
};

function chartJsConfig(spec: UsageChartSpec, ratio: number): ChartConfiguration<"bar" | "line", number[], string> {
  const c = spec.colours;
  const font = { family: CHART_FONT_FAMILY, size: spec.fontSize, weight: "normal" as const };
  return {
    type: "bar",
    data: {
      labels: [...spec.months],
      datasets: [
        {
          type: "bar",
          label: spec.legend.usage,
          data: [...spec.values],
          backgroundColor: c.secondary,
          borderWidth: 0,
          pointStyle: "rect",
          order: 2,
        },
        {
          type: "line",
          label: spec.legend.peerAverage,
          data: spec.months.map(() => spec.peerAverage),
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
      locale: spec.locale,
      responsive: false,
      maintainAspectRatio: false,
      animation: false,
      events: [],
      devicePixelRatio: ratio,
      layout: { padding: 4 },
      font,
      color: c.text,
      scales: {
        x: { grid: { display: false }, ticks: { color: c.text, font, autoSkip: false, maxRotation: 0 } },
        y: {
          beginAtZero: true,
          grid: { color: c.border },
          border: { display: false },
          ticks: { color: c.muted, font, maxTicksLimit: 6 },
        },
      },
      plugins: {
        legend: {
          position: "bottom",
          reverse: true,
          labels: { color: c.text, font, usePointStyle: true, pointStyleWidth: 18 },
        },
        tooltip: { enabled: false },
      },
    },
    plugins: [monthLabelsApart],
  };
}

function close(got: number, want: number, what: string): void {
  expect(Math.abs(got - want), `${what}: ${got} against Chart.js's ${want}`).toBeLessThan(1e-6);
}

/** Lays the spec out both ways on one canvas (one font, one measure) and compares every position. */
function compare(spec: UsageChartSpec, size: ChartSize, ratio: number): void {
  const canvas = createCanvas(size.width, size.height);
  const ctx = canvas.getContext("2d") as unknown as CanvasRenderingContext2D;
  const chart = new Chart(ctx, chartJsConfig(spec, ratio));
  try {
    ctx.font = `${spec.fontSize}px ${CHART_FONT_FAMILY}`;
    const own = layoutUsageChart(spec, size, (t) => ctx.measureText(t).width, ratio);
    const where = JSON.stringify({ ...spec, colours: undefined, summary: undefined, size, ratio });
    const area = chart.chartArea;
    for (const side of ["left", "top", "right", "bottom"] as const)
      close(own.area[side], area[side], `${where} area ${side}`);

    const y = chart.scales.y;
    expect(
      own.valueLabels.map((l) => l.text),
      where,
    ).toEqual(y.ticks.map((t) => t.label));
    own.valueLabels.forEach((l, i) => {
      close(l.y, y.getPixelForTick(i), `${where} value tick ${i}`);
      close(l.x, y.right - 8 - 3, `${where} value label ${i}`);
    });
    const x = chart.scales.x;
    expect(
      own.monthLabels.map((l) => l.text),
      where,
    ).toEqual(x.ticks.map((t) => t.label ?? spec.months[t.value]));
    own.monthLabels.forEach((l, i) => {
      close(l.x, x.getPixelForTick(i), `${where} month label ${i}`);
    });

    const bars = chart.getDatasetMeta(0).data as unknown as { x: number; y: number; base: number; width: number }[];
    expect(own.bars.length, where).toBe(bars.length);
    own.bars.forEach((b, i) => {
      close(b.x, bars[i].x - bars[i].width / 2, `${where} bar ${i} left`);
      close(b.width, bars[i].width, `${where} bar ${i} width`);
      close(b.y, Math.min(bars[i].y, bars[i].base), `${where} bar ${i} top`);
      close(b.y + b.height, Math.max(bars[i].y, bars[i].base), `${where} bar ${i} bottom`);
    });
    const points = chart.getDatasetMeta(1).data as unknown as { x: number; y: number }[];
    if (own.peerLine) {
      close(own.peerLine.x1, points[0].x, `${where} peer line start`);
      close(own.peerLine.x2, points[points.length - 1].x, `${where} peer line end`);
      close(own.peerLine.y, points[0].y, `${where} peer line`);
    } else expect(points.length, where).toBeLessThan(2);

    // The legend's items: hit boxes are where Chart.js draws each sample and its text, a font size high.
    const boxes = (chart.legend as unknown as { legendHitBoxes: { left: number; top: number }[] }).legendHitBoxes;
    const { swatch, sample, texts } = own.legend;
    close(swatch.x, boxes[0].left, `${where} legend swatch`);
    close(swatch.y + swatch.height / 2, boxes[0].top + spec.fontSize / 2, `${where} legend swatch centre`);
    close(sample.x1, boxes[1].left, `${where} legend line`);
    close(sample.y, boxes[1].top + spec.fontSize / 2, `${where} legend line centre`);
    texts.forEach((t, i) => {
      close(t.x, boxes[i].left + 18 + spec.fontSize / 2, `${where} legend text ${i}`);
    });
  } finally {
    chart.destroy();
  }
}

const MONTHS_FROM = (locale: string, style: "short" | "long", count: number, first: number) => {
  const month = new Intl.DateTimeFormat(locale, { month: style, timeZone: "UTC" });
  return Array.from({ length: count }, (_, i) => month.format(new Date(Date.UTC(2025, first + i, 1))));
};

beforeAll(() => {
  Chart.register(
    BarController,
    BarElement,
    LineController,
    LineElement,
    PointElement,
    CategoryScale,
    LinearScale,
    Legend,
  );
  expect(registerChartGlobals(nodeWorld(), "node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf")).toBe(true);
});

/** Values of one order of magnitude: usage in Wh or in GWh, fractions, zeros, and the extremes Chart.js writes in scientific notation. */
const magnitude = fc.constantFrom(2e-6, 1e-3, 0.05, 1, 7, 100, 1500, 25_000, 3e6, 4.2e9, 3e16);
const series = magnitude.chain((scale) =>
  fc.record({
    values: fc.oneof(
      {
        weight: 6,
        arbitrary: fc.array(
          fc.double({ min: 0, max: 1, noNaN: true }).map((v) => Number((v * scale).toPrecision(4))),
          { minLength: 12, maxLength: 12 },
        ),
      },
      {
        weight: 1,
        arbitrary: fc.array(
          fc.integer({ min: -3, max: 10 }).map((v) => v * scale),
          { minLength: 0, maxLength: 12 },
        ),
      },
      { weight: 1, arbitrary: fc.constantFrom([], [0], Array(12).fill(0), Array(12).fill(scale)) },
    ),
    peer: fc.double({ min: 0, max: 1.5, noNaN: true }).map((v) => Number((v * scale).toPrecision(3))),
  }),
);
const look = fc.record({
  locale: fc.constantFrom("en-GB", "fr-FR", "de-DE", "fi-FI", "pt-BR", "el-GR", "ja-JP"),
  style: fc.constantFrom<"short" | "long">("short", "short", "long"),
  first: fc.integer({ min: 0, max: 11 }),
  legend: fc.constantFrom(
    ["Your usage (kWh)", "Similar homes"],
    ["Votre consommation (kWh)", "Moyenne des foyers similaires"],
    [
      "Ihr Verbrauch in Kilowattstunden (kWh) im Jahresverlauf",
      "Durchschnitt vergleichbarer Haushalte in Ihrer Region",
    ],
  ),
  fontSize: fc.constantFrom(9, 11, 15),
  size: fc.constantFrom(
    { width: 552, height: 260 },
    { width: 585, height: 232 },
    { width: 320, height: 160 },
    { width: 180, height: 200 },
  ),
  ratio: fc.constantFrom(1, 2, 1.5),
});

describe("the usage chart's layout against Chart.js's", () => {
  it("matches for the email's and the statement's charts", () => {
    const usage = {
      unit: "kWh",
      monthly: MONTHS_FROM("fr-FR", "short", 12, 10).map((label, i) => ({ label, value: 1100 + ((i * 97) % 400) })),
      peerAverage: 1250,
    };
    const labels = { locale: "fr-FR", usage: "Votre consommation (kWh)", peerAverage: "Foyers similaires" };
    compare(usageChartSpec(usage, theme, labels, { fontSize: 15 }), { width: 552, height: 260 }, 2);
    compare(usageChartSpec(usage, theme, labels), { width: 585, height: 232 }, 1);
  });

  it("matches for generated series, languages and sizes", () => {
    fc.assert(
      fc.property(series, look, (s, l) => {
        const months = MONTHS_FROM(l.locale, l.style, s.values.length, l.first);
        const spec = usageChartSpec(
          { unit: "kWh", monthly: months.map((label, i) => ({ label, value: s.values[i] })), peerAverage: s.peer },
          theme,
          { locale: l.locale, usage: l.legend[0], peerAverage: l.legend[1] },
          { fontSize: l.fontSize },
        );
        compare(spec, l.size, l.ratio);
      }),
      // A fixed seed in the suite; RUNS=4000 searches further with a random one.
      { numRuns: Number(process.env.RUNS ?? 400), seed: process.env.RUNS ? undefined : 21 },
    );
  }, 300_000);
});
