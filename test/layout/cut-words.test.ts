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
});
