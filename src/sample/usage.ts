import type { Profile, Segment } from "../profile/types.ts";
import type { Random } from "./random.ts";

/** The twelve months before the statement, oldest first, and the days of the billed month. */
export const USAGE_MONTHS = Array.from({ length: 12 }, (_, k) => {
  const d = new Date(Date.UTC(2025, 10 + k, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
});
const BILLED_DAYS = 31;

/** How a month's electricity compares with the year's average, January first. */
const SEASON = [1.45, 1.35, 1.2, 1.0, 0.85, 0.75, 0.72, 0.75, 0.85, 1.0, 1.2, 1.4];

const BASE_KWH: Record<Segment, readonly [number, number]> = {
  residential: [150, 450],
  "small-business": [900, 3500],
  vulnerable: [120, 380],
};

/** A month read as zero: the home empty, or an estimate corrected to nothing. */
const ZERO_MONTH = 0.03;

export function sampleUsage(r: Random, segment: Segment): Profile["usage"] {
  const base = r.between(...BASE_KWH[segment]);
  const monthly = USAGE_MONTHS.map((month) => {
    const season = SEASON[Number(month.slice(5)) - 1];
    return { month, value: r.chance(ZERO_MONTH) ? 0 : Math.round(base * season * r.between(0.85, 1.15)) };
  });
  const billed = monthly[monthly.length - 1].value;
  const daily = Array.from({ length: BILLED_DAYS }, () =>
    billed === 0 ? 0 : Math.round((billed / BILLED_DAYS) * r.between(0.6, 1.5) * 10) / 10,
  );
  const october = SEASON[9];
  return { unit: "kWh", monthly, daily, peerAverage: Math.round(base * october * r.between(0.85, 1.1)) };
}
