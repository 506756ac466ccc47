import type { Profile } from "../profile/index.ts";
import type { Formatters } from "./format.ts";
import { labelOf } from "./labels.ts";
import type { View } from "./types.ts";

/** A template without usage labels (a one-page letter) gets no summary rather than a bare key. */
const sentence = (labels: Record<string, string>, key: string, values: Record<string, string>) =>
  key in labels ? labelOf(labels, key, values) : "";

/** Within half a percent of the peer average reads as "about the same". */
const SAME_BAND = 0.005;

/**
 * The usage block: months labelled in the customer's language, and one line comparing the latest month with
 * similar homes (`You used 427 kWh in October, 7% less than similar homes`) for SMS and chart alt text.
 */
export function usageView(usage: Profile["usage"], f: Formatters, labels: Record<string, string>): View["usage"] {
  const monthly = [...usage.monthly]
    .sort((a, b) => a.month.localeCompare(b.month))
    .map((m) => ({ month: m.month, label: f.monthShort(m.month), value: m.value }));
  const latest = monthly.at(-1);
  let summary = "";
  if (latest) {
    const values = {
      usage: `${f.integer(latest.value)} ${usage.unit}`,
      month: f.monthLong(latest.month),
      percent: "",
    };
    if (usage.peerAverage > 0) {
      const ratio = latest.value / usage.peerAverage - 1;
      values.percent = f.percent(Math.abs(ratio));
      const key =
        Math.abs(ratio) < SAME_BAND ? "usageSummarySame" : ratio < 0 ? "usageSummaryLess" : "usageSummaryMore";
      summary = sentence(labels, key, values);
    } else {
      summary = sentence(labels, "usageSummary", values);
    }
  }
  return { unit: usage.unit, monthly, peerAverage: usage.peerAverage, summary };
}
