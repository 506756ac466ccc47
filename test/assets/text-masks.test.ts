import { createCanvas } from "@napi-rs/canvas";
import { describe, expect, it } from "vitest";
import { CHART_FONT_FAMILY, registerChartGlobals } from "../../src/assets/chart/index.ts";
import { TextMasks } from "../../src/assets/chart/text-masks.ts";
import { nodeWorld } from "../../src/node-world.ts";

const SANS = "node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf";
const MONO = "node_modules/dejavu-fonts-ttf/ttf/DejaVuSansMono.ttf";
const FONT = `15px "${CHART_FONT_FAMILY}"`;
const TEXTS = ["1 250", "nov.", "Votre consommation (kWh)", "0"];

/** Widths as a canvas made for them measures them, in the file the chart font points at now. */
function fresh(texts: string[]): number[] {
  const ctx = createCanvas(10, 10).getContext("2d");
  ctx.font = FONT;
  return texts.map((t) => ctx.measureText(t).width);
}

describe("texts measured once a thread", () => {
  it("are as wide as Skia measures them, and measured again when the chart font points at another file", () => {
    const world = nodeWorld();
    expect(registerChartGlobals(world, SANS)).toBe(true);
    const masks = new TextMasks();
    masks.useFont(FONT);
    const sans = TEXTS.map((t) => masks.measure(t));
    expect(sans).toEqual(fresh(TEXTS));
    try {
      expect(registerChartGlobals(world, MONO)).toBe(true);
      masks.useFont(FONT);
      const mono = TEXTS.map((t) => masks.measure(t));
      expect(mono).toEqual(fresh(TEXTS));
      expect(mono).not.toEqual(sans);
    } finally {
      expect(registerChartGlobals(world, SANS)).toBe(true);
    }
    masks.useFont(FONT);
    expect(TEXTS.map((t) => masks.measure(t))).toEqual(sans);
  });
});
