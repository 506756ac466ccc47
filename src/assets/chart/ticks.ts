/**
 * The value axis's ticks, as Chart.js 4 chooses them for a linear axis that begins at zero and has no bounds,
 * step or count of its own: spacing a "nice" number (1, 2 or 5 times a power of ten) so that at most
 * `maxTicks` ticks span the data, the axis running from the tick at or below the lowest value to the tick at
 * or above the highest. Ported step for step (its rounding included), so the chart keeps the axis Chart.js
 * drew; test/assets/chart-layout.test.ts checks it against Chart.js over many series.
 */

export interface ValueAxis {
  /** Tick values, lowest first; the first and last are the axis's ends. */
  ticks: number[];
  min: number;
  max: number;
}

/** The nice number nearest above `range`: 1, 2, 5 or 10 times its power of ten. */
function niceNum(range: number): number {
  const rounded = Math.round(range);
  const r = Math.abs(range - rounded) < range / 1000 ? rounded : range;
  const power = 10 ** Math.floor(Math.log10(r));
  const fraction = r / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}

function decimalPlaces(x: number): number {
  if (!Number.isFinite(x)) return 0;
  let e = 1;
  let p = 0;
  while (Math.round(x * e) / e !== x) {
    e *= 10;
    p++;
  }
  return p;
}

/**
 * The data's range as the axis takes it: from zero when all values are on one side of it, and widened when
 * it is a single value (by 5%, or to 1 from zero).
 */
function dataRange(values: readonly number[]): { min: number; max: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!Number.isFinite(min)) min = 0;
  if (!Number.isFinite(max)) max = 1;
  if (min < 0 && max < 0) max = 0;
  else if (min > 0 && max > 0) min = 0;
  if (min === max) max += max === 0 ? 1 : Math.abs(max * 0.05);
  return { min, max };
}

/** The axis over `values` with at most `maxTicks` ticks (Chart.js: `maxTicksLimit` and the axis's length). */
export function valueAxis(values: readonly number[], maxTicks: number): ValueAxis {
  const range = dataRange(values);
  const { min: rmin, max: rmax } = range;
  const maxSpaces = Math.max(2, maxTicks) - 1;
  let spacing = niceNum((rmax - rmin) / maxSpaces);
  if (spacing < 1e-14) return withEnds([rmin, rmax], range);
  const spaces = Math.ceil(rmax / spacing) - Math.floor(rmin / spacing);
  if (spaces > maxSpaces) spacing = niceNum((spaces * spacing) / maxSpaces);
  let niceMin = Math.floor(rmin / spacing) * spacing;
  let niceMax = Math.ceil(rmax / spacing) * spacing;
  let numSpaces = (niceMax - niceMin) / spacing;
  numSpaces =
    Math.abs(numSpaces - Math.round(numSpaces)) < spacing / 1000 ? Math.round(numSpaces) : Math.ceil(numSpaces);
  const factor = 10 ** Math.max(decimalPlaces(spacing), decimalPlaces(niceMin));
  niceMin = Math.round(niceMin * factor) / factor;
  niceMax = Math.round(niceMax * factor) / factor;
  const ticks: number[] = [];
  for (let j = 0; j < numSpaces; ++j) ticks.push(Math.round((niceMin + j * spacing) * factor) / factor);
  ticks.push(niceMax);
  return withEnds(ticks, range);
}

/** The axis's ends: the data's range widened to its outer ticks. */
function withEnds(ticks: number[], range: { min: number; max: number }): ValueAxis {
  let { min, max } = range;
  for (const t of ticks) {
    if (t < min) min = t;
    if (t > max) max = t;
  }
  return { ticks, min, max };
}
