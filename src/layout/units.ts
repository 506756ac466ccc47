/** Lengths in markup (`20mm`, `12pt`, `1in`) converted to PDF points, the unit the layout works in. */
const POINTS_PER: Record<string, number> = { pt: 1, mm: 72 / 25.4, cm: 72 / 2.54, in: 72, px: 0.75 };

/** Points for a length such as `20mm` or `14` (points); undefined when it is not a length. */
export function parseLength(text: string): number | undefined {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*(pt|mm|cm|in|px)?\s*$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * POINTS_PER[m[2] ?? "pt"];
}

export const mm = (n: number): number => n * POINTS_PER.mm;

/** A4 portrait in points. */
export const A4 = { width: 595.28, height: 841.89 } as const;
