import type { Problem } from "../../src/core/index.ts";
import type { Flowable, FontMetrics, LayoutEnv, Painter, TextStyle } from "../../src/layout/index.ts";

/** Layout test doubles: metrics where every character is half its size wide, a painter that records. */
export const fakeMetrics: FontMetrics = {
  width: (text, _font, size) => Array.from(text).length * size * 0.5,
  ascent: (_f, size) => size * 0.8,
  descent: (_f, size) => size * 0.2,
  missing: (text) =>
    Array.from(text)
      .filter((c) => c === "☃")
      .join(""),
};

export function fakeEnv(): LayoutEnv & { problems: Problem[] } {
  const problems: Problem[] = [];
  return { metrics: fakeMetrics, warn: (p) => problems.push(p), problems };
}

export const style: TextStyle = { font: "body", size: 10, color: "#000000" };

export interface Drawn {
  text: string;
  x: number;
  y: number;
}

export function recordingPainter(): Painter & { texts: Drawn[]; tags: string[] } {
  const texts: Drawn[] = [];
  const tags: string[] = [];
  return {
    texts,
    tags,
    text: (text, x, y) => texts.push({ text, x, y }),
    rect: () => {},
    rects: () => {},
    line: () => {},
    image: () => {},
    svg: () => {},
    chart: () => {},
    tag: (role, _o, paint) => {
      tags.push(role);
      paint();
    },
    artifact: (paint) => paint(),
  };
}

/** A block of fixed height that cannot split, labelled for assertions. */
export function box(label: string, height: number, extra: Partial<Flowable> = {}): Flowable {
  return { height, split: () => null, paint: (p, x, y) => p.text(label, x, y, 0, style), ...extra };
}
