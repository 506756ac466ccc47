/**
 * Wall-clock time in an IANA zone, from Intl alone: what a customer's clock shows at an instant, and the instants
 * at which it shows a given time of day, across daylight-saving changes. Instants are epoch milliseconds.
 */

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** A local calendar day. */
export interface LocalDay {
  year: number;
  month: number;
  day: number;
}

/** What a clock in the zone shows at an instant: its day, and minutes since local midnight (with fractions). */
export interface LocalTime extends LocalDay {
  minutes: number;
}

/** One formatter per zone: building one costs far more than using it. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(zone, f);
  }
  return f;
}

export function localTime(instant: number, zone: string): LocalTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(instant)) if (p.type !== "literal") parts[p.type] = Number(p.value);
  const seconds = parts.second + (instant - Math.floor(instant / 1000) * 1000) / 1000;
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    minutes: parts.hour * 60 + parts.minute + seconds / 60,
  };
}

/** How far the zone's clock is ahead of UTC at an instant, in milliseconds. */
function offsetAt(instant: number, zone: string): number {
  const t = localTime(instant, zone);
  return Date.UTC(t.year, t.month - 1, t.day) + t.minutes * MINUTE - instant;
}

/** The day after, by the calendar. */
export function nextDay({ year, month, day }: LocalDay): LocalDay {
  const d = new Date(Date.UTC(year, month - 1, day + 1));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/**
 * The instants, earliest first, at which the zone's clock first shows `minutes` past midnight of `day` or later:
 * one on most days, two when the clocks go back over that time, and when they go forward over it the instant
 * they jump (the first at which the clock has passed it).
 */
export function instantsAt(day: LocalDay, minutes: number, zone: string): number[] {
  const wall = Date.UTC(day.year, day.month - 1, day.day) + minutes * MINUTE;
  // A zone changes its offset at most once within a day either side of any instant.
  const before = offsetAt(wall - DAY, zone);
  const after = offsetAt(wall + DAY, zone);
  const found = [...new Set([before, after])].map((o) => wall - o).filter((i) => offsetAt(i, zone) === wall - i);
  if (found.length > 0) return found.sort((a, b) => a - b);
  // In the gap the clocks jump over: the jump is between the two readings, found to the millisecond.
  let lo = wall - after;
  let hi = wall - before;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(mid, zone) === after) hi = mid;
    else lo = mid;
  }
  return [hi];
}
