import type { UsageChartSpec } from "./spec.ts";

/** The chart in one line, for SMS and as the image's text alternative. */
export function toText(spec: UsageChartSpec): string {
  return spec.summary;
}
