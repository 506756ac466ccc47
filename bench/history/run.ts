/**
 * What reading the customers' histories costs a billing run: a run with an archive whose customers each have a
 * history (interactions, responses, two earlier statements' decisions of record with their documents), on SQLite
 * and on PostgreSQL. Prints the run's time, the time its history reads took (they overlap deciding and composing:
 * the next chunk is read while the current one is decided) and the time deciding waited for them, each as a
 * share of the run. Target: under 10%.
 *
 *   npx tsx bench/history/run.ts                       # 10,000 customers, every channel they prefer
 *   npx tsx bench/history/run.ts --records 100000 --channels sms --backends PostgreSQL
 *
 * Data lives in bench/.data (ignored); PostgreSQL is the one on 127.0.0.1:5432, database `test`.
 */
import "../signing-keys.ts";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import pg from "pg";
import { type Archive, type DecisionInput, type DocumentInput, openArchive } from "../../src/archive/index.ts";
import { runBatch } from "../../src/batch/index.ts";
import { loadCatalogue } from "../../src/decide/index.ts";
import { nodeWorld } from "../../src/node-world.ts";
import { sampleLines } from "../../src/sample/index.ts";
import type { ChannelName } from "../../src/templates/index.ts";
import { decisionOfRecord } from "../decisions-of-record.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const DATA = join(ROOT, "bench/.data");
const POSTGRES = "postgres://postgres@127.0.0.1:5432/test";
const SCHEMA = "omnidoc_bench_history";
const RUN_DATE = "2026-11-01";

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : process.argv[i + 1];
}
const records = Number(flag("--records", "10000"));
const channels = flag("--channels", "") === "" ? undefined : (flag("--channels", "").split(",") as ChannelName[]);
const workers = Number(flag("--workers", "2"));
const only = flag("--backends", "SQLite,PostgreSQL").split(",");

const catalogue = loadCatalogue(nodeWorld(ROOT), join(ROOT, "samples/catalogue.yaml"));
if (!catalogue.ok) throw new Error("the sample catalogue does not load");
const offers = catalogue.value.items.filter((i) => i.kind === "offer");

mkdirSync(DATA, { recursive: true });
const input = join(DATA, `history-${records}.ndjson`);
const lines = [...sampleLines({ count: records, seed: 7 })];
writeFileSync(input, `${lines.join("\n")}\n`);
const ids = lines.map((l) => (JSON.parse(l) as { id: string }).id);

/** Every customer's history: three interactions, a response, two monthly statements of record (print and email). */
async function seed(archive: Archive): Promise<void> {
  const bytes = new TextEncoder().encode("a document of an earlier statement");
  for (let from = 0; from < ids.length; from += 500) {
    const chunk = ids.slice(from, from + 500);
    const docs: DocumentInput[] = [];
    const decisions: DecisionInput[] = [];
    await archive.recordInteractions(
      chunk.flatMap((customerId, n) =>
        ["billing", n % 10 === 0 ? "complaint" : "moving-home", "outage"].map((topic, k) => ({
          customerId,
          source: "genesys",
          sourceId: `${customerId}-${k}`,
          at: `2026-10-${String(5 + ((n + k * 7) % 20)).padStart(2, "0")}T10:00:00Z`,
          channel: "call-centre" as const,
          topic,
        })),
      ),
    );
    await archive.recordResponses(
      chunk.map((customerId, n) => ({
        customerId,
        ...(n % 20 === 0 ? {} : { offerId: offers[n % offers.length].id }),
        response:
          n % 20 === 0 ? ("opted-out" as const) : (["clicked", "declined", "not-now", "accepted"] as const)[n % 4],
        at: "2026-10-12T09:00:00Z",
        source: "link",
        sourceId: `${customerId}-r`,
      })),
    );
    for (const [n, customerId] of chunk.entries())
      for (const runDate of ["2026-09-01", "2026-10-01"]) {
        const shown = [offers[n % offers.length], offers[(n + 3) % offers.length]];
        const runId = `statement-${runDate}`;
        for (const channel of ["pdf", "email"])
          docs.push({
            customerId,
            template: "energy-bill",
            templateVersion: "1",
            channel,
            runId,
            created: `${runDate}T02:00:00Z`,
            offerIds: shown.map((o) => o.id),
            contentType: "application/octet-stream",
            bytes,
          });
        decisions.push(decisionOfRecord({ customerId, runId, runDate, created: `${runDate}T02:00:00Z` }, shown));
      }
    await archive.recordMany(docs, [], decisions);
  }
}

const backends = [
  { name: "SQLite", url: `sqlite:${join(DATA, `history-${records}.db`)}?blobs=${join(DATA, "history-blobs")}` },
  { name: "PostgreSQL", url: `${POSTGRES}?schema=${SCHEMA}&blobs=${join(DATA, "history-blobs")}` },
];
const results: string[] = [];
for (const { name, url } of backends.filter((b) => only.includes(b.name))) {
  // Each backend starts empty; the SQLite file is kept after its run, to look into.
  if (name === "SQLite") rmSync(join(DATA, `history-${records}.db`), { force: true });
  rmSync(join(DATA, "history-blobs"), { recursive: true, force: true });
  const client = new pg.Client(POSTGRES);
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await client.end();

  const opened = await openArchive(url);
  if (!opened.ok) throw new Error(opened.problems[0].message);
  let t0 = performance.now();
  await seed(opened.value);
  const seedMs = performance.now() - t0;
  t0 = performance.now();
  const h = await opened.value.histories(ids.slice(0, 500), RUN_DATE);
  const oneCallMs = performance.now() - t0;
  const events = [...h.values()].reduce((n, x) => n + x.interactions.length + x.responses.length + x.offers.length, 0);
  await opened.value.close();

  const out = join(DATA, `history-run-${records}`);
  rmSync(out, { recursive: true, force: true });
  const before = loadavg()[0];
  const outcome = await runBatch({
    out,
    workers,
    resume: false,
    root: ROOT,
    archiveUrl: url,
    settings: { template: "energy-bill", input, format: "ndjson", runDate: RUN_DATE, archive: true, channels },
  });
  const t = outcome.summary?.timings as Record<string, number>;
  const share = (ms: number) => `${((ms / t.elapsedMs) * 100).toFixed(1)}%`;
  results.push(
    `${name.padEnd(10)} run ${(t.elapsedMs / 1000).toFixed(1)} s for ${records.toLocaleString("en-GB")} customers; ` +
      `${t.historyReads} history reads took ${(t.historyReadMs / 1000).toFixed(2)} s (${share(t.historyReadMs)} of the run, ` +
      `overlapped), deciding waited ${(t.historyWaitMs / 1000).toFixed(2)} s for them (${share(t.historyWaitMs)}); ` +
      `one read of 500 customers (${events} events) ${oneCallMs.toFixed(0)} ms; seeding ${(seedMs / 1000).toFixed(0)} s; ` +
      `load average ${before.toFixed(1)} → ${loadavg()[0].toFixed(1)}`,
  );
  console.log(results.at(-1));
}
