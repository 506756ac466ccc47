/**
 * Number formats by locale and fraction digits: making one costs more than formatting a chart's numbers. Kept
 * for the process, not in the render caches: an Intl.NumberFormat is immutable and a function of its locale and
 * options alone, so engines sharing one get what each would make; a few entries a locale.
 */
const formats = new Map<string, Intl.NumberFormat>();

export function numberFormat(locale: string, fractionDigits: number, scientific = false): Intl.NumberFormat {
  const key = `${locale} ${fractionDigits} ${scientific}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, {
      notation: scientific ? "scientific" : undefined,
      minimumFractionDigits: fractionDigits,
      maximumFractionDigits: fractionDigits,
    });
    formats.set(key, f);
  }
  return f;
}

/**
 * A value axis tick's label, as Chart.js's numeric tick formatter writes it: in the locale, with as many
 * decimals as the ticks' spacing needs, scientific for very large or very small axes.
 */
export function tickLabel(value: number, ticks: readonly number[], locale: string): string {
  if (value === 0) return "0";
  let scientific = false;
  let delta = value;
  if (ticks.length > 1) {
    const maxTick = Math.max(Math.abs(ticks[0]), Math.abs(ticks[ticks.length - 1]));
    scientific = maxTick < 1e-4 || maxTick > 1e15;
    delta = ticks.length > 3 ? ticks[2] - ticks[1] : ticks[1] - ticks[0];
    if (Math.abs(delta) >= 1 && value !== Math.floor(value)) delta = value - Math.floor(value);
  }
  const logDelta = Math.log10(Math.abs(delta));
  const decimals = Number.isNaN(logDelta) ? 1 : Math.max(Math.min(-1 * Math.floor(logDelta), 20), 0);
  return numberFormat(locale, decimals, scientific).format(value);
}
