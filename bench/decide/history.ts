/**
 * What the contact policy's rules over history cost a decision: decisions per second with no history (the
 * baseline, measured in the same run) and with a history for every customer. Usage:
 * npx tsx bench/decide/history.ts [N=100000]
 */
import { fileURLToPath } from "node:url";
import { type CustomerHistory, NO_HISTORY, decide, loadCatalogue } from "../../src/decide/index.ts";
import { nodeWorld } from "../../src/node-world.ts";
import type { Profile } from "../../src/profile/index.ts";
import { sampleLines } from "../../src/sample/index.ts";

const N = Number(process.argv[2] ?? 100000);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const RUN_DATE = "2026-11-01";
const ROUNDS = 5;

const catalogue = loadCatalogue(nodeWorld(ROOT), "samples/catalogue.yaml");
if (!catalogue.ok) throw new Error(catalogue.problems.map((p) => p.message).join("\n"));
const offers = catalogue.value.items.filter((i) => i.kind === "offer").map((i) => i.id);
const profiles = Array.from(sampleLines({ count: N }), (line) => JSON.parse(line) as Profile);

/**
 * A year of relationship, different per customer: interactions from other systems, responses to earlier offers
 * and the offers of record of monthly statements (two channels each); one customer in twenty has opted out.
 */
function historyOf(n: number): CustomerHistory {
  const day = (d: number) => new Date(Date.UTC(2026, 10, 1) - d * 86400000).toISOString();
  const offer = (k: number) => offers[(n + k) % offers.length];
  const topics = ["billing", "moving-home", "complaint", "outage", "payment-plan"];
  return {
    interactions: Array.from({ length: 4 }, (_, k) => ({
      at: day(((n * 7 + k * 41) % 300) + 1),
      source: "genesys",
      sourceId: `c-${n}-${k}`,
      channel: "call-centre",
      topic: topics[(n + k) % topics.length],
    })).sort((a, b) => (a.at < b.at ? 1 : -1)),
    responses: (["clicked", "declined", "not-now", "accepted"] as const).map((response, k) => ({
      at: day(((n * 13 + k * 37) % 200) + 1),
      offerId: offer(k),
      response,
      source: "link",
      sourceId: `r-${n}-${k}`,
    })),
    offers: Array.from({ length: 12 }, (_, k) => ({
      at: day(k * 30 + 1),
      offerId: offer(k),
      marketing: true,
      channels: ["print", "email"],
    })),
    optOuts: n % 20 === 0 ? [{ at: day(50), source: "unsubscribe", sourceId: `u-${n}` }] : [],
  };
}
const histories = profiles.map((_, n) => historyOf(n));

const time = (history: (n: number) => CustomerHistory): number => {
  const t0 = performance.now();
  for (let n = 0; n < N; n++) decide(catalogue.value, profiles[n], { runDate: RUN_DATE, history: history(n) });
  return performance.now() - t0;
};
const none = () => NO_HISTORY;
const full = (n: number) => histories[n];
time(none);
time(full);
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const [noneMs, fullMs] = [[] as number[], [] as number[]];
for (let r = 0; r < ROUNDS; r++) {
  noneMs.push(time(none));
  fullMs.push(time(full));
}
const rate = (ms: number) => `${Math.round((N / ms) * 1000).toLocaleString("en-GB")}/s`;
console.log(`profiles               ${N.toLocaleString("en-GB")}, median of ${ROUNDS} rounds each`);
console.log(`decide, no history     ${rate(median(noneMs))}`);
console.log(`decide, with history   ${rate(median(fullMs))}  (4 interactions, 4 responses, 12 past offers each)`);
console.log(
  `ratio                  ${(median(fullMs) / median(noneMs)).toFixed(2)}x the time of a decision without history`,
);
