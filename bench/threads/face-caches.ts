/**
 * How the faces' caches (shaped words, painted runs: src/channels/pdf/fonts.ts) hit against their size over a
 * billing run's customers. One engine composes the generated customers in this process with every cache
 * look-up recorded, then each recorded sequence is replayed through a `RecentCache` of each size: a miss is
 * what that size would have shaped (or joined) again.
 *
 *   npx tsx bench/threads/face-caches.ts [--records 2500] [--sizes 1000,2000,3000,5000,10000]
 *
 * A thread of a 2-worker run composes about every other customer, so `--records 2500` is what one compose
 * thread meets in a run of 5,000. Prints, for each face's cache (in the order the faces were loaded), the
 * look-ups, the distinct keys and each size's misses a customer.
 */
import "../signing-keys.ts";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { compose } from "../../src/compose.ts";
import { createRenderCaches } from "../../src/core/index.ts";
import { buildEngine } from "../../src/engine.ts";
import { RecentCache } from "../../src/channels/pdf/recent-cache.ts";
import { nodeWorld } from "../../src/node-world.ts";
import { ROOT, extract } from "../extract.ts";

const { values: args } = parseArgs({
  options: {
    records: { type: "string", default: "2500" },
    sizes: { type: "string", default: "1000,2000,3000,5000,10000" },
  },
});
const records = Number(args.records);
const sizes = args.sizes!.split(",").map(Number);

/** Each cache's operations in order: a look-up (`g`) or a store (`s`), by key. */
const traces = new Map<RecentCache<string, unknown>, { ops: string[]; keys: string[]; size: number }>();
const traceOf = (c: RecentCache<string, unknown>) => {
  const known = traces.get(c);
  if (known) return known;
  const t = {
    ops: [] as string[],
    keys: [] as string[],
    size: 2 * (c as unknown as { generation: number }).generation,
  };
  traces.set(c, t);
  return t;
};
const { get, set } = RecentCache.prototype;
RecentCache.prototype.get = function (this: RecentCache<string, unknown>, key: string) {
  const t = traceOf(this);
  t.ops.push("g");
  t.keys.push(key);
  return get.call(this, key);
};
RecentCache.prototype.set = function (this: RecentCache<string, unknown>, key: string, value: unknown) {
  const t = traceOf(this);
  t.ops.push("s");
  t.keys.push(key);
  set.call(this, key, value);
};

const built = await buildEngine(nodeWorld(ROOT), { caches: createRenderCaches() });
if (!built.ok) throw new Error(JSON.stringify(built.problems));
const lines = readFileSync(extract(Math.max(records, 5000)), "utf8")
  .split("\n")
  .slice(0, records);
for (const line of lines) {
  const r = await compose(built.value, JSON.parse(line), {
    template: "energy-bill",
    channels: ["pdf", "email", "sms"],
    runDate: "2026-11-01",
  });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
}

// The replays below use caches of their own, not recorded.
RecentCache.prototype.get = get;
RecentCache.prototype.set = set;

/** Misses of a cache of `size` over `trace`; a missed look-up stores its key, as the renderer does. */
function misses(trace: { ops: string[]; keys: string[] }, size: number): number {
  const cache = new RecentCache<string, true>(size);
  let missed = 0;
  for (let i = 0; i < trace.ops.length; i++) {
    const key = trace.keys[i]!;
    if (trace.ops[i] === "s") cache.set(key, true);
    else if (cache.get(key) === undefined) {
      missed++;
      cache.set(key, true);
    }
  }
  return missed;
}

console.log(`${records} customers composed, every channel; misses a customer by cache size`);
let n = 0;
for (const trace of traces.values()) {
  const lookUps = trace.ops.filter((o) => o === "g").length;
  if (lookUps === 0) continue;
  const distinct = new Set(trace.keys).size;
  const row = sizes.map((s) => `${s}: ${(misses(trace, s) / records).toFixed(2)}`).join(", ");
  // The caches are told apart by their size as shipped: words hold the most.
  const kind = (trace.size >= 5000 ? "shaped words" : "painted runs") + ` (${trace.size})`;
  console.log(
    `cache ${++n}, ${kind}: ${(lookUps / records).toFixed(0)} look-ups a customer, ${distinct} distinct keys; misses ${row}`,
  );
}
