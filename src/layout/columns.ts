import { parseLength } from "./units.ts";

/** How wide a column is: fixed points, a share of what is left (`2fr`), a percentage, or its content's width. */
export type WidthSpec = { fixed: number } | { fr: number } | { percent: number } | { auto: true };

/** `25mm`, `2fr`, `30%` or `auto`; undefined when it is none of them. */
export function parseWidth(text: string): WidthSpec | undefined {
  const t = text.trim();
  if (t === "auto") return { auto: true };
  let m = /^(\d+(?:\.\d+)?)fr$/.exec(t);
  if (m) return { fr: Number(m[1]) };
  m = /^(\d+(?:\.\d+)?)%$/.exec(t);
  if (m) return { percent: Number(m[1]) };
  const pt = parseLength(t);
  return pt === undefined ? undefined : { fixed: pt };
}

/**
 * Widths for columns sharing `total` points: fixed and percentage columns first, then auto columns at their
 * natural width (shrunk in proportion when they do not all fit), then fractions share the rest.
 */
export function resolveWidths(specs: readonly WidthSpec[], total: number, natural: (i: number) => number): number[] {
  const widths = specs.map((s) => ("fixed" in s ? s.fixed : "percent" in s ? (total * s.percent) / 100 : 0));
  let left = total - widths.reduce((a, b) => a + b, 0);
  const autos = specs.flatMap((s, i) => ("auto" in s ? [i] : []));
  const wanted = autos.map((i) => natural(i));
  const frTotal = specs.reduce((n, s) => n + ("fr" in s ? s.fr : 0), 0);
  const autoTotal = wanted.reduce((a, b) => a + b, 0);
  const autoRoom = frTotal > 0 ? Math.min(autoTotal, left * 0.7) : left;
  autos.forEach((col, k) => {
    widths[col] =
      autoTotal > 0
        ? frTotal > 0
          ? (wanted[k] / autoTotal) * autoRoom
          : autoTotal <= left
            ? wanted[k] + (left - autoTotal) / autos.length
            : (wanted[k] / autoTotal) * left
        : left / autos.length;
  });
  left -= autos.reduce((a, col) => a + widths[col], 0);
  specs.forEach((s, i) => {
    if ("fr" in s) widths[i] = Math.max(0, (left * s.fr) / frTotal);
  });
  return widths;
}
