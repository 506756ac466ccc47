import { type LocalTime, instantsAt, localTime, nextDay } from "./local-time.ts";

/** Local hours when a channel waits, `HH:MM` to `HH:MM`; `from` after `to` runs across midnight. */
export interface QuietHours {
  from: string;
  to: string;
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether a clock reading lies in quiet hours: from `from` inclusive up to `to` exclusive. */
export function inQuietHours(local: Pick<LocalTime, "minutes">, quiet: QuietHours): boolean {
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  const m = local.minutes;
  return from < to ? m >= from && m < to : m >= from || m < to;
}

/**
 * The first instant at or after `instant` that is outside quiet hours in `zone`: the instant itself, or the end
 * of the quiet hours it falls in, that local day or the next. Across a change of the clocks it is the first
 * instant the clock shows `to` or later (when they go forward over `to`, the instant they jump).
 */
export function quietHoursEnd(instant: number, quiet: QuietHours, zone: string): number {
  const local = localTime(instant, zone);
  if (!inQuietHours(local, quiet)) return instant;
  const to = minutesOf(quiet.to);
  const ends = [...instantsAt(local, to, zone), ...instantsAt(nextDay(local), to, zone)];
  return Math.min(...ends.filter((end) => end > instant));
}
