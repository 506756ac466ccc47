import type { Profile } from "../profile/index.ts";
import type { Formatters } from "./format.ts";
import { labelOf } from "./labels.ts";
import type { View } from "./types.ts";

/** A template without usage labels (a one-page letter) gets no summary rather than a bare key. */
const sentence = (labels: Record<string, string>, key: string, values: Record<string, string>) =>
  key in labels ? labelOf(labels, key, values) : "";

/** Within half a percent of the peer average reads as "about the same". */
const SAME_BAND = 0.005;
/** The most "less" a month with a reading says: 99%, as a whole percent shows it. */
const MOST_LESS = 0.99;

/**
 * The usage block: months labelled in the customer's language, and one line about the billed month (the month
 * the period ends in) for SMS, email, the statement and the chart's alt text. Only a month with a reading above
 * zero is compared with similar homes (`You used 427 kWh in October, 7% less than similar homes`): a month read
 * as zero says so (`usageSummaryZero`) and a month with no reading says that (`usageSummaryMissing`), never
 * "100% less".
 */
export function usageView(
  usage: Profile["usage"],
  f: Formatters,
  labels: Record<string, string>,
  periodEnd: string,
): View["usage"] {
  const monthly = [...usage.monthly]
    .sort((a, b) => a.month.localeCompare(b.month))
    .map((m) => ({ month: m.month, label: f.monthShort(m.month), value: m.value }));
  const month = periodEnd.slice(0, 7);
  const billed = monthly.find((m) => m.month === month);
  const reading = !billed ? "missing" : billed.value === 0 ? "zero" : "recorded";
  const values = {
    usage: billed ? `${f.integer(billed.value)} ${usage.unit}` : "",
    month: f.monthLong(month),
    percent: "",
  };
  let summary: string;
  if (reading === "missing") summary = sentence(labels, "usageSummaryMissing", values);
  else if (reading === "zero") summary = sentence(labels, "usageSummaryZero", values);
  else if (usage.peerAverage > 0) {
    const ratio = (billed?.value ?? 0) / usage.peerAverage - 1;
    // A month with any use is never "100% less", however small it is beside similar homes.
    values.percent = f.percent(Math.min(Math.abs(ratio), ratio < 0 ? MOST_LESS : Number.POSITIVE_INFINITY));
    const key = Math.abs(ratio) < SAME_BAND ? "usageSummarySame" : ratio < 0 ? "usageSummaryLess" : "usageSummaryMore";
    summary = sentence(labels, key, values);
  } else summary = sentence(labels, "usageSummary", values);
  return { unit: usage.unit, monthly, peerAverage: usage.peerAverage, billed: { month, reading }, summary };
}
