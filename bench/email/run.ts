/**
 * What a user of the public API gets per email: `compose(engine, profile, { channels: ["email"] })` from a validated
 * profile (decision, view, HTML, text part and .eml), in CPU time per email, with the chart hosted, embedded and
 * left out; the same run's baseline compiles the MJML for every customer; the merge alone (the figure this bench
 * used to give), a hosted chart's first open, and the chart's PNG alone, with the buffers and text masks the
 * thread keeps and with caches made for it (the baseline: every text drawn by Skia), are measured beside them.
 * Every variant runs once per round, rounds interleaved, so load that comes and goes falls on all of them; each
 * figure is the median of the rounds, with their spread. Usage: npx tsx bench/email/run.ts [ROUNDS=5] [N=2000] [CHART_N=300] [BASELINE_N=100]
 */
import os from "node:os";
import { fileURLToPath } from "node:url";
import type { RenderContext } from "../../src/channels/channel.ts";
import { emailChannel, emailChartPng, readHostedChart } from "../../src/channels/email/index.ts";
import { createRenderCaches } from "../../src/core/index.ts";
import { compose } from "../../src/compose.ts";
import { decide } from "../../src/decide/index.ts";
import { buildEngine } from "../../src/engine.ts";
import { nodeWorld } from "../../src/node-world.ts";
import { type Profile, validateProfile } from "../../src/profile/index.ts";
import { sampleLines } from "../../src/sample/index.ts";
import type { TemplatePackage } from "../../src/templates/index.ts";
import { buildView, type View } from "../../src/view/index.ts";

const ROUNDS = Number(process.argv[2] ?? 5);
const N = Number(process.argv[3] ?? 2000);
const CHART_N = Number(process.argv[4] ?? 300);
const BASELINE_N = Number(process.argv[5] ?? 100);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const RUN_DATE = "2026-11-01";
const TEMPLATE = "energy-bill";

// The bench's own keys when none are set: what is signed does not change what it costs.
process.env.OMNIDOC_LINK_KEY ??= "bench:link-key-of-the-email-bench-0123456";
process.env.OMNIDOC_TRACKING_KEY ??= "bench:tracking-key-of-the-email-bench-01";

function must<T>(r: { ok: true; value: T } | { ok: false; problems: { message: string }[] }): T {
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join("\n"));
  return r.value;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * This process's CPU time (user + system, every thread: V8's collector) per email over one
 * pass, and each email's own. On a shared machine the wall clock counts waiting for a core; CPU time does not.
 */
async function pass(
  count: number,
  one: (i: number) => Promise<unknown>,
): Promise<{ perEmail: number; each: number[] }> {
  const each: number[] = [];
  const start = cpuMs();
  for (let i = 0; i < count; i++) {
    const t = cpuMs();
    await one(i);
    each.push(cpuMs() - t);
  }
  return { perEmail: (cpuMs() - start) / count, each };
}

const world = nodeWorld(ROOT);
const engine = must(await buildEngine(world));
const template = engine.templates.get(TEMPLATE);
if (!template) throw new Error(`no template ${TEMPLATE}`);
const compiled = template.channels.email as Parameters<typeof emailChannel.render>[0];

process.stdout.write(`validating ${N} profiles… `);
const profiles: Profile[] = Array.from(sampleLines({ count: Math.round(N * 1.2) }), (line) =>
  must(validateProfile(JSON.parse(line))),
)
  .filter((p) => p.contact.email)
  .slice(0, N);
process.stdout.write(`${profiles.length} with an email address\n`);

const composeEmail = async (profile: Profile, emailChart: string | false) => {
  const c = must(
    await compose(engine, profile, {
      template: TEMPLATE,
      channels: ["email"],
      runDate: RUN_DATE,
      channelOptions: { emailChart },
    }),
  );
  if (!c.email) throw new Error(c.problems.map((p) => p.message).join("\n"));
  return c.email;
};

// The merge alone, as this bench measured it before: decisions and views made beforehand, no chart.
const views: View[] = profiles.map((profile) => {
  const { locales } = template.pkg;
  return buildView({
    profile,
    decision: decide(engine.catalogue, profile, { runDate: RUN_DATE }),
    labels: locales[profile.preferences.language] ?? {},
    runDate: RUN_DATE,
    keys: engine.keys,
    links: engine.links,
    sender: engine.theme.sender,
  });
});
const NO_CHART: RenderContext = { warnings: { warn: () => {} }, options: { emailChart: false } };

// The baseline: the same package compiled for the customer's language, for every customer, then rendered.
const perLanguage = (lang: string): TemplatePackage => ({
  ...template.pkg,
  manifest: { ...template.pkg.manifest, languages: [lang] } as TemplatePackage["manifest"],
});

// What the hosted chart's URLs say, for their first opens.
const hostedFiles = await Promise.all(
  profiles.slice(0, CHART_N).map(async (p) => {
    const src = /<img[^>]*src="([^"]+)"/.exec((await composeEmail(p, "hosted")).html)?.[1] ?? "";
    return src.slice(src.lastIndexOf("/") + 1);
  }),
);

const charts = hostedFiles.map((file) => must(readHostedChart(file, engine.keys.tracking, RUN_DATE)));

type Variant = { name: string; count: number; one: (i: number) => Promise<unknown> };
const variants: Variant[] = [
  { name: "compose, chart hosted", count: profiles.length, one: (i) => composeEmail(profiles[i], "hosted") },
  { name: "compose, no chart", count: profiles.length, one: (i) => composeEmail(profiles[i], false) },
  { name: "compose, chart embedded", count: CHART_N, one: (i) => composeEmail(profiles[i], "embedded") },
  {
    name: "merge alone, no chart (old figure)",
    count: views.length,
    one: async (i) => must(await emailChannel.render(compiled, views[i], NO_CHART)),
  },
  {
    name: "MJML compiled per customer",
    count: BASELINE_N,
    one: async (i) =>
      must(
        await emailChannel.render(
          must(await emailChannel.compile(perLanguage(views[i].language), world, engine.caches)),
          views[i],
          NO_CHART,
        ),
      ),
  },
  {
    name: "hosted chart's first open",
    count: hostedFiles.length,
    one: (i) =>
      emailChartPng(must(readHostedChart(hostedFiles[i], engine.keys.tracking, RUN_DATE)), engine.theme, engine.caches),
  },
  // The chart's PNG alone: with the buffers and text masks the thread keeps, and (the baseline) with caches made
  // for it, as a thread's first chart: every text drawn by Skia.
  {
    name: "chart PNG, kept caches",
    count: charts.length,
    one: (i) => emailChartPng(charts[i], engine.theme, engine.caches),
  },
  {
    name: "chart PNG, caches made for it",
    count: charts.length,
    one: (i) => emailChartPng(charts[i], engine.theme, createRenderCaches()),
  },
];

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
console.log(`load average at start: ${load()}; ${os.cpus().length} cores; ${ROUNDS} rounds`);
// Warm-up: every path compiled by V8 and every cache filled before the first round.
for (const v of variants) await pass(Math.min(v.count, 30), v.one);

const results = new Map<string, { perEmail: number[]; each: number[] }>(
  variants.map((v) => [v.name, { perEmail: [], each: [] }]),
);
for (let round = 1; round <= ROUNDS; round++) {
  for (const v of variants) {
    const r = await pass(v.count, v.one);
    const kept = results.get(v.name) as { perEmail: number[]; each: number[] };
    kept.perEmail.push(r.perEmail);
    kept.each.push(...r.each);
  }
  console.log(`round ${round} done, load average ${load()}`);
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const quantile = (xs: number[], q: number) => sorted(xs)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const ms = (n: number) => n.toFixed(2).padStart(6);
console.log(
  `\n${"".padEnd(36)} ${"emails".padStart(6)}  median of rounds  (min–max of rounds)  per email p10 / p50 / p90 (all rounds)`,
);
for (const v of variants) {
  const r = results.get(v.name) as { perEmail: number[]; each: number[] };
  const s = sorted(r.perEmail);
  console.log(
    `${v.name.padEnd(36)} ${String(v.count).padStart(6)}  ${ms(quantile(s, 0.5))} ms CPU       (${ms(s[0])}–${ms(s[s.length - 1])})      ${ms(quantile(r.each, 0.1))} / ${ms(quantile(r.each, 0.5))} / ${ms(quantile(r.each, 0.9))}`,
  );
}
const median = (name: string) => quantile(results.get(name)?.perEmail ?? [], 0.5);
console.log(
  `\nratio MJML per customer / merge alone: ${(median("MJML compiled per customer") / median("merge alone, no chart (old figure)")).toFixed(1)}x` +
    `; / compose hosted: ${(median("MJML compiled per customer") / median("compose, chart hosted")).toFixed(1)}x`,
);
console.log(
  `ratio chart PNG with caches made for it / kept caches: ${(median("chart PNG, caches made for it") / median("chart PNG, kept caches")).toFixed(2)}x`,
);
console.log(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB; load average at the end: ${load()}`);
