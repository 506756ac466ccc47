import {
  toPng,
  toText,
  type UsageChartLabels,
  type UsageChartSpec,
  type UsageSeries,
  usageChartSpec,
} from "../../assets/chart/index.ts";
import { type RenderCaches, type Result, type SigningKeys, fail, ok, problem } from "../../core/index.ts";
import type { Theme } from "../../templates/index.ts";
import type { RenderContext } from "../channel.ts";
import { addDays, chartSignature, labelOf, type View, verifyChartSignature } from "../../view/index.ts";

/**
 * The email's usage chart. Embedded, its PNG travels in every message (~1.5–2 ms of CPU per email, about as
 * much as the rest of the email); hosted, the email carries a signed URL whose token holds the chart's own data, and omnidoc's
 * `GET /c/{token}.png` draws the same PNG when the email is first opened: an email never opened costs nothing.
 */

/** The chart's box in the 600 px email: the content column less its side padding. */
export const CHART_SIZE = { width: 552, height: 260 };
/** Chart text in CSS px at full width: still ~9 px when a 375 px phone shrinks the image. */
const CHART_FONT_SIZE = 15;
/** Device pixels per CSS pixel: sharp on high-density screens, where most email is read. */
const CHART_SCALE = 2;
/** How long a hosted chart's URL draws after the run date: a year's statements stay readable, and a month more. */
export const HOSTED_CHART_DAYS = 400;

/** Where an email's chart comes from: inside the message, or drawn by omnidoc's chart route when opened. */
export type EmailChartMode = "embedded" | "hosted";

export type ChartHost = NonNullable<RenderContext["chartHost"]>;

/** All the chart draws (and all a hosted chart's token carries): the series and its words. */
export interface EmailChart {
  usage: UsageSeries;
  labels: UsageChartLabels;
}

/** The customer's chart, in the customer's words. */
export function emailChartOf(view: View): EmailChart {
  return {
    usage: view.usage,
    labels: {
      locale: view.locale,
      usage: labelOf(view.labels, "usageLegend", { unit: view.usage.unit }),
      peerAverage: labelOf(view.labels, "usagePeerLegend"),
    },
  };
}

export function emailChartSpec(chart: EmailChart, theme: Theme): UsageChartSpec {
  return usageChartSpec(chart.usage, theme, chart.labels, { fontSize: CHART_FONT_SIZE });
}

/** The PNG an email shows, embedded or hosted alike: the same chart data and theme give the same bytes. */
export function emailChartPng(chart: EmailChart, theme: Theme, caches: RenderCaches): Promise<Uint8Array> {
  return toPng(emailChartSpec(chart, theme), { ...CHART_SIZE, scale: CHART_SCALE }, caches);
}

/** The chart in words, for the alt text of a hosted image, which clients that block remote images show instead. */
export function emailChartText(chart: EmailChart, theme: Theme): string {
  return toText(emailChartSpec(chart, theme));
}

/** Version of the token's payload, so that a later layout can still read the URLs of emails already sent. */
const PAYLOAD_VERSION = 1;
/** A payload longer than this is not decoded: a year of months and its words take ~400 characters. */
const MAX_PAYLOAD = 2048;

/**
 * `${base}/${payload}.${KID}.${TAG}.png`: the payload is the chart's data and the URL's last day as JSON in
 * base64url (`~` for `_`), the signature a keyed hash over it. Pure: the same customer and run give the same URL.
 */
export function hostedChartUrl(chart: EmailChart, runDate: string, host: ChartHost): string {
  const { usage, labels } = chart;
  const fields = [
    PAYLOAD_VERSION,
    addDays(runDate, HOSTED_CHART_DAYS),
    labels.locale,
    labels.usage,
    labels.peerAverage,
    usage.unit,
    usage.peerAverage,
    usage.monthly.map((m) => m.label),
    usage.monthly.map((m) => m.value),
  ];
  // base64url with `~` for `_`: a URL holding `omd_` and a run of base64url is taken for a leaked API key.
  const payload = Buffer.from(JSON.stringify(fields)).toString("base64url").replaceAll("_", "~");
  return `${host.base.replace(/\/+$/, "")}/${payload}.${chartSignature(payload, host.key)}.png`;
}

const PAYLOAD = /^[A-Za-z0-9~-]+$/;
const isText = (v: unknown): v is string => typeof v === "string";
const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/**
 * The chart a hosted URL's last segment (`{payload}.{KID}.{TAG}.png`) stands for: only when one of `keys`
 * signed it (OMD_LINK_TAMPERED otherwise, whatever is wrong with it) and `today` (YYYY-MM-DD) is not past its
 * last day (OMD_LINK_EXPIRED). The signature is checked before the payload is read.
 */
export function readHostedChart(file: string, keys: SigningKeys, today: string): Result<EmailChart> {
  const tampered = fail<EmailChart>(
    problem("OMD_LINK_TAMPERED", "the chart link is not one omnidoc signed, or was changed since"),
  );
  const parts = file.endsWith(".png") ? file.slice(0, -4).split(".") : [];
  if (parts.length !== 3) return tampered;
  const [payload, kid, tag] = parts;
  if (payload.length > MAX_PAYLOAD || !PAYLOAD.test(payload) || !verifyChartSignature(`${kid}.${tag}`, payload, keys))
    return tampered;
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(payload.replaceAll("~", "_"), "base64url").toString("utf8"));
  } catch {
    return tampered;
  }
  if (!Array.isArray(fields) || fields[0] !== PAYLOAD_VERSION) return tampered;
  const [, expires, locale, usageWord, peerWord, unit, peerAverage, months, values] = fields;
  if (
    ![expires, locale, usageWord, peerWord, unit].every(isText) ||
    !isNumber(peerAverage) ||
    !Array.isArray(months) ||
    !Array.isArray(values) ||
    months.length !== values.length ||
    !months.every(isText) ||
    !values.every(isNumber)
  )
    return tampered;
  if (today > expires) return fail(problem("OMD_LINK_EXPIRED", `the chart link expired after ${expires}`));
  return ok({
    usage: { unit, peerAverage, monthly: months.map((label, i) => ({ label, value: values[i] })) },
    labels: { locale, usage: usageWord, peerAverage: peerWord },
  });
}
