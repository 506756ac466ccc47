import { PNG } from "pngjs";
import { beforeAll, describe, expect, it } from "vitest";
import { type Canvas, createCanvas } from "@napi-rs/canvas";
import {
  CHART_FONT_FAMILY,
  drawUsageChart,
  registerChartGlobals,
  toPng,
  toSvg,
  toText,
  type UsageSeries,
  usageChartSpec,
} from "../../src/assets/chart/index.ts";
import { createRenderCaches } from "../../src/core/index.ts";
import { nodeWorld } from "../../src/node-world.ts";
import { CHART_THEME } from "../support/chart-theme.ts";
import { memoryWorld } from "../support/memory-world.ts";

const theme = CHART_THEME;

/** Twelve months from November 2025, labelled the way the view labels them. */
function series(locale: string, values: number[]): UsageSeries {
  const month = new Intl.DateTimeFormat(locale, { month: "short", timeZone: "UTC" });
  return {
    unit: "kWh",
    monthly: values.map((value, i) => ({ label: month.format(new Date(Date.UTC(2025, 10 + i, 1))), value })),
    peerAverage: 1250,
  };
}

const values = [1100, 1200, 1300, 1390, 1488, 1180, 1280, 1380, 1470, 1170, 1270, 1360];
const fr = usageChartSpec(series("fr-FR", values), theme, {
  locale: "fr-FR",
  usage: "Votre consommation (kWh)",
  peerAverage: "Foyers similaires",
});

const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

const SANS = "node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf";
const caches = createRenderCaches();

beforeAll(() => {
  expect(registerChartGlobals(nodeWorld(), SANS)).toBe(true);
});

describe("usage chart as SVG", () => {
  it("draws French month labels and legend as real text in the chart font, once", async () => {
    const svg = await toSvg(fr, { width: 520, height: 220 });
    const t = texts(svg);
    for (const m of ["nov.", "déc.", "janv.", "févr.", "août", "oct."])
      expect(t.filter((x) => x === m)).toHaveLength(1);
    expect(t).toContain("Votre consommation (kWh)");
    expect(t).toContain("Foyers similaires");
    const families = new Set([...svg.matchAll(/font-family="([^"]*)"/g)].map((m) => m[1]));
    expect([...families]).toEqual([CHART_FONT_FAMILY]);
  });

  it("formats axis numbers in the customer's locale", async () => {
    const de = usageChartSpec(series("de-DE", values), theme, {
      locale: "de-DE",
      usage: "Verbrauch",
      peerAverage: "Vergleich",
    });
    expect(texts(await toSvg(de, { width: 520, height: 220 }))).toContain("1.500");
    expect(texts(await toSvg(fr, { width: 520, height: 220 }))).toContain("1\u202f500");
  });

  it("has a viewBox instead of a fixed root size, and the theme's bar colour", async () => {
    const svg = await toSvg(fr, { width: 400, height: 180 });
    const root = svg.match(/<svg\b[^>]*>/)?.[0] ?? "";
    expect(root).toContain('viewBox="0 0 400 180"');
    expect(root).not.toMatch(/\s(width|height)=/);
    expect(svg).toContain('fill="#01BAEF"');
  });

  it("leaves the spec untouched, so one spec renders many times the same", async () => {
    const before = JSON.stringify(fr);
    const a = await toSvg(fr, { width: 520, height: 220 });
    const b = await toSvg(fr, { width: 520, height: 220 });
    expect(JSON.stringify(fr)).toBe(before);
    expect(b === a).toBe(true);
  });
});

describe("usage chart as PNG", () => {
  it("decodes at twice the size, opaque, with the bars in the theme colour", async () => {
    const png = PNG.sync.read(Buffer.from(await toPng(fr, { width: 300, height: 150, scale: 2 }, caches)));
    expect([png.width, png.height]).toEqual([600, 300]);
    let bar = 0;
    let transparent = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      const [r, g, b, a] = png.data.subarray(i, i + 4);
      if (r === 0x01 && g === 0xba && b === 0xef) bar++;
      if (a !== 255) transparent++;
    }
    expect(transparent).toBe(0);
    expect(bar / (png.width * png.height)).toBeGreaterThan(0.1);
  });

  it("draws on a kept canvas as on a fresh one: nothing of the chart before it shows", async () => {
    const size = { width: 320, height: 160 };
    // Other numbers, words, locale and colours: any of them left over from the chart before would show.
    const labels = { locale: "de-DE", usage: "Verbrauch", peerAverage: "Vergleich" };
    const dark = { colours: { ...theme.colours, secondary: "#7A1F5C", background: "#F4F1EA" } };
    const other = usageChartSpec(
      series(
        "de-DE",
        values.map((v) => v * 3),
      ),
      dark,
      labels,
      { fontSize: 14 },
    );
    await toPng(other, size, caches); // its canvas is kept for the next chart of this size
    // Two at once: one gets the kept canvas, the other a fresh one.
    const [a, b] = await Promise.all([toPng(fr, size, caches), toPng(fr, size, caches)]);
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).toBe(0);
    expect(Buffer.compare(Buffer.from(a), Buffer.from(await toPng(other, size, caches)))).not.toBe(0);
  });
  it("paints a background that is not opaque over nothing, on kept buffers as on fresh ones", async () => {
    const size = { width: 320, height: 160 };
    const translucent = usageChartSpec(
      series("fr-FR", values),
      { colours: { ...theme.colours, background: "rgba(255,255,255,0.5)" } },
      { locale: "fr-FR", usage: "Consommation", peerAverage: "Foyers comparables" },
      { fontSize: 14 },
    );
    const alone = Buffer.from(await toPng(translucent, size, createRenderCaches()));
    await toPng(fr, size, caches); // an opaque chart left on the kept canvas
    expect(Buffer.compare(Buffer.from(await toPng(translucent, size, caches)), alone)).toBe(0);
    await toPng(translucent, size, caches);
    expect(
      Buffer.compare(
        Buffer.from(await toPng(fr, size, caches)),
        Buffer.from(await toPng(fr, size, createRenderCaches())),
      ),
    ).toBe(0);
  });
});

describe("the chart's PNG against Skia's drawing of it", () => {
  /** Each pixel of the PNG against the canvas's (premultiplied: straight as the PNG's): the largest difference. */
  async function largestDifference(spec: typeof fr, size: { width: number; height: number }, scale: number) {
    const canvas = createCanvas(size.width * scale, size.height * scale);
    const ctx = canvas.getContext("2d") as unknown as CanvasRenderingContext2D;
    ctx.scale(scale, scale);
    drawUsageChart(ctx, spec, size, scale);
    const drawn = canvas.data();
    const png = PNG.sync.read(Buffer.from(await toPng(spec, { ...size, scale }, caches)));
    expect([png.width, png.height]).toEqual([canvas.width, canvas.height]);
    let largest = 0;
    for (let i = 0; i < drawn.length; i += 4) {
      const a = drawn[i + 3];
      const straight = (v: number) => (a === 0 || a === 255 ? v : Math.min(255, Math.round((v * 255) / a)));
      for (let k = 0; k < 3; k++) largest = Math.max(largest, Math.abs(straight(drawn[i + k]) - png.data[i + k]));
      largest = Math.max(largest, Math.abs(a - png.data[i + 3]));
    }
    return largest;
  }

  // Coverage in 32 steps: a pixel at most 1/64 of its two colours' difference from Skia's, plus rounding.
  it("differs from it by a few levels at most, large shapes and small, at 2x and 1x", async () => {
    // The email's chart: 552×260 at 2x, text at 15 px.
    const labels = { locale: "fr-FR", usage: "Votre consommation (kWh)", peerAverage: "Foyers similaires" };
    const large = usageChartSpec(series("fr-FR", values), theme, labels, { fontSize: 15 });
    expect(await largestDifference(large, { width: 552, height: 260 }, 2)).toBeLessThanOrEqual(8);
    expect(await largestDifference(fr, { width: 300, height: 150 }, 2)).toBeLessThanOrEqual(8);
    expect(await largestDifference(fr, { width: 320, height: 160 }, 1)).toBeLessThanOrEqual(8);
  });

  it("differs from it by a few levels at most over a translucent background", async () => {
    const translucent = usageChartSpec(
      series("de-DE", [5, 0, 12, 7.5, 3]),
      { colours: { ...theme.colours, background: "rgba(255,255,255,0.5)" } },
      { locale: "de-DE", usage: "Verbrauch", peerAverage: "Vergleich" },
      { fontSize: 14 },
    );
    // Halfway transparent: a level of premultiplied colour is two of straight colour.
    expect(await largestDifference(translucent, { width: 320, height: 160 }, 1)).toBeLessThanOrEqual(16);
  });
});

describe("the chart drawn on a context that was drawn on before", () => {
  it("draws what it draws on a fresh one, and leaves the context's line dash as it found it", () => {
    const size = { width: 320, height: 160 };
    const context = (canvas: Canvas) => canvas.getContext("2d") as unknown as CanvasRenderingContext2D;
    const other = usageChartSpec(
      series(
        "de-DE",
        values.map((v) => v * 3),
      ),
      { colours: { ...theme.colours, primary: "#7A1F5C", background: "#F4F1EA" } },
      { locale: "de-DE", usage: "Verbrauch", peerAverage: "Vergleich" },
      { fontSize: 14 },
    );
    const used = createCanvas(size.width, size.height);
    drawUsageChart(context(used), other, size, 1);
    expect(context(used).getLineDash()).toEqual([]);
    drawUsageChart(context(used), fr, size, 1);
    const fresh = createCanvas(size.width, size.height);
    drawUsageChart(context(fresh), fr, size, 1);
    expect(Buffer.compare(used.data(), fresh.data())).toBe(0);
  });
});

describe("chart libraries' set-up", () => {
  it("points the chart font at the latest theme's file, and back, with each file registered once", async () => {
    const world = nodeWorld();
    const size = { width: 300, height: 150 };
    const sans = await toPng(fr, size, caches);
    expect(registerChartGlobals(world, "node_modules/dejavu-fonts-ttf/ttf/DejaVuSerif.ttf")).toBe(true);
    const serif = await toPng(fr, size, caches);
    expect(Buffer.compare(Buffer.from(sans), Buffer.from(serif))).not.toBe(0);
    expect(registerChartGlobals(world, SANS)).toBe(true);
    expect(registerChartGlobals(world, SANS)).toBe(true);
    expect(Buffer.compare(Buffer.from(sans), Buffer.from(await toPng(fr, size, caches)))).toBe(0);
  });

  it("lays the chart on a kept canvas out in the font it now draws with, as on a fresh canvas", async () => {
    const world = nodeWorld();
    const size = { width: 300, height: 150 };
    await toPng(fr, size, caches); // measured in DejaVu Sans on the canvas kept for this size
    // Monospaced digits are narrower: the value axis takes less room than the labels measured before.
    expect(registerChartGlobals(world, "node_modules/dejavu-fonts-ttf/ttf/DejaVuSansMono.ttf")).toBe(true);
    try {
      const kept = await toPng(fr, size, caches);
      const fresh = await toPng(fr, size, createRenderCaches());
      expect(Buffer.compare(Buffer.from(kept), Buffer.from(fresh))).toBe(0);
    } finally {
      expect(registerChartGlobals(world, SANS)).toBe(true);
    }
  });

  it("says so when the font file is not a font", () => {
    const world = memoryWorld({ files: { "fonts/body.ttf": "not a font" } });
    expect(registerChartGlobals(world, "fonts/body.ttf")).toBe(false);
  });
});

describe("usage chart as text", () => {
  it("sums the year up in one line in the customer's language", () => {
    const line = toText(fr);
    expect(line).not.toContain("\n");
    expect(line).toBe(
      "Votre consommation (kWh) nov.–oct.: 1\u202f100–1\u202f488 kWh (max mars); Foyers similaires: 1\u202f250 kWh",
    );
  });
});
