import { describe, expect, it } from "vitest";
import { fontMetrics } from "../../src/channels/pdf/fonts.ts";
import { type FontMetrics, breakLines } from "../../src/layout/index.ts";
import { compiledTemplate } from "../support/pdf-render.ts";

/** The cut by definition: each line takes the most characters whose shaped width fits (at least one). */
function cutByTryingEveryLength(text: string, width: number, metrics: FontMetrics, font: string, size: number) {
  const chars = Array.from(text);
  const out: string[] = [];
  let start = 0;
  while (start < chars.length) {
    let end = start + 1;
    while (end < chars.length && metrics.width(chars.slice(start, end + 1).join(""), font, size) <= width) end++;
    out.push(chars.slice(start, end).join(""));
    start = end;
  }
  return out;
}

describe("a word wider than its line, in a real face", () => {
  it("is cut where trying every length would cut it, kerning included", async () => {
    const { fonts } = await compiledTemplate("templates/energy-bill");
    const metrics = fontMetrics(fonts);
    const env = { metrics, warn: () => {} };
    const words = [
      "https://pay.northwind-energy.example/p?a=3026292666&m=55409&c=EUR&e=2026-12-22&s=bench.AhIEYH0f4TB4nYNe0F",
      "AVAVAVAVTyTyTyWAWAWAYoYoYo.LTLTLT",
      "Abrechnungszeitraum",
      "Παπαδοπούλου-Смирнова-Nguyễn",
    ];
    for (const font of ["body", "bold"])
      for (const word of words)
        for (const width of [20, 31.5, 62.4, 89]) {
          const style = { font, size: 9, color: "#000000" };
          const lines = breakLines([{ text: word, style }], width, env, 1).map((l) => l.runs[0].text);
          expect(lines, `${word} in ${font} at ${width} pt`).toEqual(
            cutByTryingEveryLength(word, width, metrics, font, 9),
          );
        }
  });

  it("is not measured whole when a prefix is already wider than the line, and is cut the same", async () => {
    const { fonts } = await compiledTemplate("templates/energy-bill");
    const metrics = fontMetrics(fonts);
    const measured: string[] = [];
    const recording: FontMetrics = {
      ...metrics,
      width: (text, font, size) => {
        measured.push(text);
        return metrics.width(text, font, size);
      },
    };
    const env = { metrics: recording, warn: () => {} };
    const link =
      "https://pay.northwind-energy.example/p?a=5041447862&m=101266&c=EUR&e=2026-12-22&s=bench.sJu-BDAX7za__fhIIfKGlB";
    const style = { font: "body", size: 7, color: "#000000" };
    const lines = breakLines([{ text: `Pay at ${link} today`, style }], 62.4, env, 1);
    expect(measured).not.toContain(link);
    // The lines a whole measure gives: the link cut where trying every length cuts it, the last word after it.
    const cuts = cutByTryingEveryLength(link, 62.4, metrics, "body", 7);
    expect(lines.map((l) => l.runs.map((r) => r.text).join(""))).toEqual([
      "Pay at",
      ...cuts.slice(0, -1),
      `${cuts[cuts.length - 1]} today`,
    ]);
  });
});
