/**
 * What reading customers' histories costs a billing run: `archive.histories(ids, upTo)` for a batch of 500
 * customers, against the baseline of reading the same customers one by one (decisions of record, interactions
 * and responses per customer), on SQLite and PostgreSQL.
 *
 *   npx tsx bench/archive/histories.ts [customers=5000] [postgres URL]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { type Archive, type DecisionInput, type DocumentInput, openArchive } from "../../src/archive/index.ts";

const CUSTOMERS = Number(process.argv[2] ?? 5000);
const POSTGRES = process.argv[3] ?? "postgres://postgres@127.0.0.1:5432/test";
const BATCH = 500;
const RUNS = ["2026-09-01", "2026-10-01", "2026-11-01"];
const ids = Array.from({ length: CUSTOMERS }, (_, i) => `C${String(i + 1).padStart(7, "0")}`);

/** Three monthly runs of three channels each, two interactions and a response per customer. */
async function fill(a: Archive) {
  for (const runDate of RUNS)
    for (let i = 0; i < ids.length; i += BATCH) {
      const batch = ids.slice(i, i + BATCH);
      const docs: DocumentInput[] = batch.flatMap((customerId) =>
        ["pdf", "email", "sms"].map((channel) => ({
          customerId,
          template: "energy-bill",
          templateVersion: "1",
          channel,
          runId: `run-${runDate}`,
          created: runDate,
          offerIds: channel === "sms" ? ["solar-export"] : ["solar-export", "boiler-care", "price-change"],
          contentType: "application/octet-stream",
          bytes: new TextEncoder().encode(channel),
        })),
      );
      const decisions: DecisionInput[] = batch.map((customerId) => ({
        customerId,
        runId: `run-${runDate}`,
        template: "energy-bill",
        templateVersion: "1",
        runDate,
        created: runDate,
        items: [
          { offerId: "solar-export", kind: "offer", slot: "hero", priority: 90, marketing: true },
          { offerId: "boiler-care", kind: "offer", slot: "secondary", priority: 50, marketing: true },
          { offerId: "price-change", kind: "regulatory", slot: "notice", priority: 0, marketing: false },
        ],
        trace: [],
        links: [],
      }));
      await a.recordMany(docs, [], decisions);
    }
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    await a.recordInteractions(
      batch.flatMap((customerId, n) =>
        [1, 2].map((k) => ({
          customerId,
          source: "call-centre",
          sourceId: `${customerId}-${k}`,
          at: `2026-10-${String(10 + k).padStart(2, "0")}T10:00:00Z`,
          channel: "call-centre" as const,
          topic: n % 7 === 0 ? "complaint" : "billing",
        })),
      ),
    );
    await a.recordResponses(
      batch.map((customerId) => ({
        customerId,
        offerId: "solar-export",
        response: "declined" as const,
        at: "2026-10-20T10:00:00Z",
        source: "web",
        sourceId: `${customerId}-r`,
      })),
    );
  }
}

async function median(times: number, work: () => Promise<unknown>): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    await work();
    ms.push(performance.now() - t);
  }
  return ms.sort((a, b) => a - b)[Math.floor(ms.length / 2)];
}

async function measure(name: string, url: string) {
  const opened = await openArchive(url);
  if (!opened.ok) throw new Error(opened.problems[0].message);
  const a = opened.value;
  const t = performance.now();
  await fill(a);
  const filled = (performance.now() - t) / 1000;
  // Batches spread over the customers, warm after one pass.
  const batches = Array.from({ length: Math.ceil(CUSTOMERS / BATCH) }, (_, i) => ids.slice(i * BATCH, (i + 1) * BATCH));
  await a.histories(batches[0], "2026-11-01");
  let next = 0;
  const bulk = await median(9, () => a.histories(batches[next++ % batches.length], "2026-11-01"));
  const sample = batches[1 % batches.length];
  const oneByOne = await median(3, async () => {
    for (const id of sample) await Promise.all([a.decisionsOfRecord(id), a.interactions(id), a.responses(id)]);
  });
  const got = await a.histories(sample, "2026-11-01");
  const offers = [...got.values()].reduce((n, h) => n + h.offers.length, 0);
  await a.close();
  console.log(
    `${name}: ${CUSTOMERS} customers filled in ${filled.toFixed(1)} s; histories(500) median ${bulk.toFixed(1)} ms ` +
      `(${offers} past offers); one by one ${oneByOne.toFixed(0)} ms; ratio ${(oneByOne / bulk).toFixed(1)}x; ` +
      `100,000 customers ≈ ${((bulk * 100_000) / BATCH / 1000).toFixed(1)} s`,
  );
}

const work = mkdtempSync(join(tmpdir(), "omnidoc-bench-histories-"));
const schema = `omnidoc_bench_histories_${process.pid}`;
try {
  await measure("sqlite", `sqlite:${join(work, "archive.db")}`);
  await measure("postgres", `${POSTGRES}?schema=${schema}&blobs=${join(work, "pg-blobs")}`);
} finally {
  rmSync(work, { recursive: true, force: true });
  const client = new pg.Client(POSTGRES);
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
}
