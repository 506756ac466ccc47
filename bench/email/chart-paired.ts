/**
 * The email's chart PNG before and after in one process: the sample customers' charts drawn by an older checkout
 * of the project (`--base`) and by this one. First the bytes: each chart as the email draws it
 * (`emailChartPng`, 2x), at 1x, and at the PDF's size and font size at 2x, by both sides; then the CPU time of
 * `emailChartPng` with the caches each side's engine keeps, customer by customer, which side first
 * alternating, a ratio a round (both sides meet the same load at the same moment).
 *
 *   npx tsx bench/email/chart-paired.ts --base ../omnidoc-before [--count 600] [--rounds 7] [--warm-up 60]
 */
import "../signing-keys.ts";
import type { EmailChart } from "../../src/channels/email/index.ts";
import { type Profile, validateProfile } from "../../src/profile/index.ts";
import { sampleLines } from "../../src/sample/index.ts";
import { cpuMs, f, load, pairedCheckouts } from "./checkouts.ts";

const RUN_DATE = "2026-11-01";
/** The statement's chart: its box on the page, and the chart's default font size. */
const PDF_SIZE = { width: 360, height: 194 };

const { sides, count, rounds: ROUNDS, warmUp } = await pairedCheckouts({ count: 600, rounds: 7, warmUp: 60 });

/** A customer's chart as its hosted URL carries it: what `emailChartPng` draws. */
async function emailChart(profile: Profile): Promise<EmailChart> {
  const { engine, compose, email } = sides[1];
  const c = await compose(engine, profile, {
    template: "energy-bill",
    channels: ["email"],
    runDate: RUN_DATE,
    channelOptions: { emailChart: "hosted" },
  });
  if (!c.ok || !c.value.email) throw new Error(`${profile.id}: no email`);
  const src = /<img[^>]*src="([^"]+)"/.exec(c.value.email.html)?.[1] ?? "";
  const read = email.readHostedChart(src.slice(src.lastIndexOf("/") + 1), engine.keys.tracking, RUN_DATE);
  if (!read.ok) throw new Error(read.problems[0].message);
  return read.value;
}

const charts: EmailChart[] = [];
for (const line of sampleLines({ count: Math.round((count + warmUp) * 1.3) })) {
  const p = validateProfile(JSON.parse(line));
  if (p.ok && p.value.contact.email) charts.push(await emailChart(p.value));
  if (charts.length === count + warmUp) break;
}

/** The PNGs one side draws of a chart: the email's (2x), at 1x, and at the statement's size and font size. */
async function pngs(k: number, chart: EmailChart): Promise<Uint8Array[]> {
  const s = sides[k];
  const { theme, caches } = s.engine;
  const spec = s.chart.usageChartSpec(chart.usage, theme, chart.labels, { fontSize: 15 });
  return [
    await s.email.emailChartPng(chart, theme, caches),
    await s.chart.toPng(spec, { ...s.email.CHART_SIZE, scale: 1 }, caches),
    await s.chart.toPng(s.chart.usageChartSpec(chart.usage, theme, chart.labels), { ...PDF_SIZE, scale: 2 }, caches),
  ];
}

let compared = 0;
let differ = 0;
const locales = new Map<string, number>();
for (const chart of charts) {
  const [base, self] = [await pngs(0, chart), await pngs(1, chart)];
  for (let v = 0; v < base.length; v++) if (Buffer.compare(base[v], self[v]) !== 0) differ++;
  compared += base.length;
  locales.set(chart.labels.locale, (locales.get(chart.labels.locale) ?? 0) + 1);
}

console.log(
  `${compared} PNGs of ${charts.length} customers (${[...locales].map(([l, n]) => `${l} ${n}`).join(", ")}), ` +
    `${differ} differ; load average ${load()}`,
);
const perRound: { base: number; self: number; ratio: number }[] = [];
for (let round = 0; round <= ROUNDS; round++) {
  // Round 0 warms both sides up; each chart is drawn by both sides in turn, which first alternating.
  const list = round === 0 ? charts.slice(0, warmUp) : charts.slice(warmUp);
  const spent = [0, 0];
  for (const [i, chart] of list.entries())
    for (const k of (i + round) % 2 === 0 ? [0, 1] : [1, 0]) {
      const { email, engine } = sides[k];
      const t = cpuMs();
      await email.emailChartPng(chart, engine.theme, engine.caches);
      spent[k] += cpuMs() - t;
    }
  if (round === 0) continue;
  const [base, self] = spent.map((s) => s / list.length);
  perRound.push({ base, self, ratio: self / base });
  console.log(`round ${round}: base ${f(base)} ms, this ${f(self)} ms, ${f(self / base)}; load average ${load()}`);
}
const rounds = [...perRound].sort((a, b) => a.ratio - b.ratio);
const mid = rounds[Math.floor(rounds.length / 2)];
console.log(
  `chart PNG, CPU a chart, the median round: base ${f(mid.base)} ms, this ${f(mid.self)} ms; this / base ` +
    `${f(mid.ratio)} (rounds ${rounds.map((r) => f(r.ratio)).join(", ")})`,
);
