/**
 * What `GET /v1/customers/{id}/offers` costs under load, on SQLite and on PostgreSQL. Each archive holds a
 * billing run's decisions of record for every customer (an SMS-only `runBatch`, the cheapest run that records
 * them, over customers of the reference extract who have a mobile number), the statement before it, and events
 * since the run that withdraw offers: complaints, closing responses, opt-outs. Then `omnidoc serve` on that
 * archive, and autocannon over random customers of the run at a few connection counts. Baselines, same run and
 * same connections: `/healthz` (HTTP alone) and `/v1/templates/energy-bill` (HTTP and an API key, no archive).
 * Every offers answer is checked: 200, the customer asked, a decision, offers and withdrawn lists. Last, the
 * route's steps timed one by one in-process on the same archive, to say where a request's time goes.
 *
 *   npx tsx bench/api/offers.ts [--records 10000] [--duration 10] [--connections 1,10,50] [--backends SQLite,PostgreSQL]
 *
 * Data lives in bench/.data (ignored); PostgreSQL is the one on 127.0.0.1:5432, database `test`.
 */
import "../signing-keys.ts";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import {
  type Archive,
  type CustomerResponse,
  type DecisionInput,
  type DocumentInput,
  openArchive,
} from "../../src/archive/index.ts";
import { runBatch } from "../../src/batch/index.ts";
import { NO_HISTORY, loadCatalogue } from "../../src/decide/index.ts";
import type { CustomerInteraction } from "../../src/interactions/index.ts";
import { nodeWorld } from "../../src/node-world.ts";
import { offersNow } from "../../src/offers/index.ts";
import { sampleLines } from "../../src/sample/index.ts";
import { DECISIONS_READ } from "../../src/server/routes/offers.ts";
import { newKey } from "../../src/server/index.ts";
import { decisionOfRecord } from "../decisions-of-record.ts";
import { quantile, startServe, waitReady } from "./support.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const DATA = join(ROOT, "bench/.data");
const POSTGRES = "postgres://postgres@127.0.0.1:5432/test";
const SCHEMA = "omnidoc_bench_offers";

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : process.argv[i + 1];
}
const records = Number(flag("--records", "10000"));
const duration = Number(flag("--duration", "10"));
const connectionCounts = flag("--connections", "1,10,50").split(",").map(Number);
const only = flag("--backends", "SQLite,PostgreSQL").split(",");
const port = 19_000 + (process.pid % 1000);
const base = `http://127.0.0.1:${port}`;

// The server answers for its own today: the run is dated five days before it, the statement before a month earlier.
const DAY = 86_400_000;
const now = Date.now();
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const runDate = isoDay(now - 5 * DAY);
const previousRunDate = isoDay(now - 35 * DAY);
/** The k-th event of the n-th customer since the run: from a day after its date, spread over three days. */
const eventAt = (n: number, k: number) =>
  new Date(Date.parse(runDate) + DAY + (((n * 7 + k * 3600) * 1000) % (3 * DAY))).toISOString();

const catalogue = loadCatalogue(nodeWorld(ROOT), join(ROOT, "samples/catalogue.yaml"));
if (!catalogue.ok) throw new Error("the sample catalogue does not load");
const offers = catalogue.value.items.filter((i) => i.kind === "offer");

mkdirSync(DATA, { recursive: true });
const input = join(DATA, `offers-${records}.ndjson`);
// Customers with a mobile number only: an SMS-only run rejects the others, and records no decision for them.
const lines: string[] = [];
for (const line of sampleLines({ count: Number.MAX_SAFE_INTEGER, seed: 11 })) {
  if ((JSON.parse(line) as { contact: { mobile?: string } }).contact.mobile) lines.push(line);
  if (lines.length === records) break;
}
writeFileSync(input, `${lines.join("\n")}\n`);
const ids = lines.map((l) => (JSON.parse(l) as { id: string }).id);

/** The statement before the run: a decision of record of two offers and the SMS that carried them, per customer. */
async function seedPreviousStatement(archive: Archive): Promise<void> {
  const bytes = new TextEncoder().encode("the text of an earlier statement");
  const runId = `statement-${previousRunDate}`;
  for (let from = 0; from < ids.length; from += 500) {
    const docs: DocumentInput[] = [];
    const decisions: DecisionInput[] = [];
    for (const [n, customerId] of ids.slice(from, from + 500).entries()) {
      const shown = [offers[n % offers.length], offers[(n + 3) % offers.length]];
      const common = { customerId, runId, template: "energy-bill", templateVersion: "1", created: previousRunDate };
      docs.push({ ...common, channel: "sms", offerIds: shown.map((o) => o.id), contentType: "text/plain", bytes });
      decisions.push(
        decisionOfRecord({ customerId, runId, runDate: previousRunDate, created: previousRunDate }, shown),
      );
    }
    await archive.recordMany(docs, [], decisions);
  }
}

/**
 * What happened since the run: two interactions each (one customer in ten complains), a response from one in
 * three (a click, which withdraws nothing, or accepted, declined, not-now on the first offer the run made them),
 * and an opt-out from one in twenty.
 */
async function seedEventsSince(archive: Archive, made: Map<string, string[]>): Promise<void> {
  const customers = [...made.keys()];
  for (let from = 0; from < customers.length; from += 500) {
    const chunk = customers.slice(from, from + 500);
    const interactions: CustomerInteraction[] = chunk.flatMap((customerId, i) =>
      ["billing", (from + i) % 10 === 0 ? "complaint" : "outage"].map((topic, k) => ({
        customerId,
        source: "genesys",
        sourceId: `${customerId}-since-${k}`,
        at: eventAt(from + i, k),
        channel: "call-centre" as const,
        topic,
      })),
    );
    await archive.recordInteractions(interactions);
    const responses: CustomerResponse[] = [];
    for (const [i, customerId] of chunk.entries()) {
      const n = from + i;
      const first = made.get(customerId)?.[0];
      if (n % 3 === 0 && first !== undefined)
        responses.push({
          customerId,
          offerId: first,
          response: (["clicked", "accepted", "declined", "not-now"] as const)[(n / 3) % 4],
          at: eventAt(n, 2),
          source: "link",
          sourceId: `${customerId}-since-r`,
        });
      if (n % 20 === 1)
        responses.push({
          customerId,
          response: "opted-out",
          at: eventAt(n, 3),
          source: "link",
          sourceId: `${customerId}-since-o`,
        });
    }
    await archive.recordResponses(responses);
  }
}

/** The customers the run made a decision of record for, each with the offers it made (the manifest's entries). */
function decidedCustomers(out: string): Map<string, string[]> {
  const made = new Map<string, string[]>();
  for (const line of readFileSync(join(out, "manifest.ndjson"), "utf8").split("\n").filter(Boolean)) {
    const e = JSON.parse(line) as { id?: string; status: string; offers: string[] };
    if (e.status === "composed" && e.id !== undefined) made.set(e.id, e.offers);
  }
  return made;
}

interface Row {
  route: string;
  connections: number;
  rps: number;
  /** The CPU time of the server's main thread (its event loop) over the row, per request answered. */
  cpuPerRequest: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  ok: number;
  non2xx: number;
  errors: number;
  badShape: number;
}

/** What the checked answers held, to show the withdrawals are read: counts of offers and of each reason. */
interface Held {
  answers: number;
  offers: number;
  withdrawn: Record<string, number>;
  bytes: number;
}

/** A route to load, how to pick each request's path, and how to check an answer against the path asked. */
interface Target {
  route: string;
  path: () => string;
  check?: (body: string, path: string) => boolean;
}

/** The server under load: its process, and the API key the requests carry. */
interface Server {
  pid: number;
  key: string;
}

/** The CPU time of a process's main thread so far, user and system (Linux: /proc, in ticks of USER_HZ = 100). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, "utf8");
  const [utime, stime] = stat
    .slice(stat.lastIndexOf(")") + 2)
    .split(" ")
    .slice(11, 13)
    .map(Number);
  return (utime + stime) * 10;
}

/**
 * Latency is timed here rather than taken from autocannon, whose histogram keeps whole milliseconds: autocannon
 * builds a connection's next request (setupRequest) right before writing it, and hands over the response
 * (onResponse) as soon as it is complete, before it builds the next one.
 */
async function load(target: Target, connections: number, seconds: number, server: Server): Promise<Row> {
  const { route, path, check } = target;
  let badShape = 0;
  const times: number[] = [];
  const cpuBefore = cpuMs(server.pid);
  const result = await autocannon({
    url: base,
    connections,
    duration: seconds,
    headers: { authorization: `Bearer ${server.key}` },
    requests: [
      {
        setupRequest: (req, context) => {
          context.path = path();
          context.sent = performance.now();
          return { ...req, path: context.path as string };
        },
        onResponse: (status, body, context) => {
          times.push(performance.now() - (context.sent as number));
          if (check && status === 200 && !check(body, context.path as string)) badShape++;
        },
      },
    ],
  });
  const codes = result.statusCodeStats as Record<string, { count: number }>;
  return {
    route,
    connections,
    rps: result.requests.average,
    cpuPerRequest: (cpuMs(server.pid) - cpuBefore) / times.length,
    p50: quantile(times, 0.5),
    p90: quantile(times, 0.9),
    p99: quantile(times, 0.99),
    max: times.reduce((a, b) => Math.max(a, b), 0),
    ok: codes["200"]?.count ?? 0,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    badShape,
  };
}

/** The route's steps one request at a time, in this process on the same archive: medians in ms. */
async function steps(archive: Archive, customers: string[]) {
  const times = {
    audit: [] as number[],
    decisions: [] as number[],
    histories: [] as number[],
    offersNow: [] as number[],
    all: [] as number[],
  };
  for (let i = 0; i < 400; i++) {
    const customerId = customers[(i * 7919) % customers.length];
    const at = new Date();
    const t0 = performance.now();
    await archive.audit([
      { at: at.toISOString(), keyName: "bench", route: "GET /v1/customers/:id/offers", customerId, action: "read" },
    ]);
    const t1 = performance.now();
    const decisions = await archive.decisionsOfRecord(customerId, { limit: DECISIONS_READ });
    const t2 = performance.now();
    const h = await archive.histories([customerId], at.toISOString());
    const t3 = performance.now();
    offersNow(decisions, h.get(customerId) ?? NO_HISTORY, at.toISOString().slice(0, 10));
    const t4 = performance.now();
    if (i < 50) continue; // warm-up
    times.audit.push(t1 - t0);
    times.decisions.push(t2 - t1);
    times.histories.push(t3 - t2);
    times.offersNow.push(t4 - t3);
    times.all.push(t4 - t0);
  }
  return Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, quantile(xs, 0.5)])) as Record<
    keyof typeof times,
    number
  >;
}

const BLOBS = join(DATA, "offers-blobs");
const backends: { name: string; url: string; unflushed?: string }[] = [
  { name: "SQLite", url: `sqlite:${join(DATA, `offers-${records}.db`)}?blobs=${BLOBS}` },
  {
    name: "PostgreSQL",
    url: `${POSTGRES}?schema=${SCHEMA}&blobs=${BLOBS}`,
    // The same schema through connections whose commits do not wait for the WAL to be flushed: what that wait costs.
    unflushed: `${POSTGRES}?options=${encodeURIComponent(`-c search_path=${SCHEMA} -c synchronous_commit=off`)}&blobs=${BLOBS}`,
  },
];
const f = (n: number, d = 1) => n.toFixed(d);
const report: object[] = [];
const out: string[] = [];
for (const { name, url, unflushed } of backends.filter((b) => only.includes(b.name))) {
  const loadStart = loadavg()[0];
  for (const suffix of ["", "-wal", "-shm"]) rmSync(join(DATA, `offers-${records}.db${suffix}`), { force: true });
  rmSync(BLOBS, { recursive: true, force: true });
  const client = new pg.Client(POSTGRES);
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await client.end();

  const t0 = performance.now();
  const seeding = await openArchive(url);
  if (!seeding.ok) throw new Error(seeding.problems[0].message);
  await seedPreviousStatement(seeding.value);
  await seeding.value.close();
  const runDir = join(DATA, `offers-run-${records}`);
  rmSync(runDir, { recursive: true, force: true });
  const runStarted = performance.now();
  const run = await runBatch({
    out: runDir,
    workers: 2,
    resume: false,
    root: ROOT,
    archiveUrl: url,
    settings: { template: "energy-bill", input, format: "ndjson", runDate, archive: true, channels: ["sms"] },
  });
  if (!run.complete) throw new Error("the billing run did not complete");
  const runMs = performance.now() - runStarted;
  const made = decidedCustomers(runDir);
  const customers = [...made.keys()];
  if (customers.length !== records) throw new Error(`the run decided ${customers.length} of ${records} customers`);
  if (customers.length !== records) throw new Error(`the run decided ${customers.length} of ${records} customers`);
  const since = await openArchive(url);
  if (!since.ok) throw new Error(since.problems[0].message);
  await seedEventsSince(since.value, made);
  await since.value.close();
  const seedMs = performance.now() - t0;
  console.log(`${name}: archive seeded in ${f(seedMs / 1000, 0)} s, ${customers.length} customers decided`);

  const { key, entry } = newKey("bench", ["archive:read", "render"]);
  const child = startServe(
    port,
    url,
    [entry],
    [
      // Nothing here renders: one render thread is enough to be ready.
      "--workers",
      "1",
      // One key drives the whole load: its request budget would answer 429 instead of measuring reads.
      "--rate-limit",
      "0",
    ],
  );
  const held: Held = { answers: 0, offers: 0, withdrawn: {}, bytes: 0 };
  const randomCustomer = () => customers[Math.floor(Math.random() * customers.length)];
  const offersPath = () => `/v1/customers/${randomCustomer()}/offers`;
  const checkOffers = (body: string, path: string) => {
    const a = JSON.parse(body) as {
      customerId?: string;
      today?: string;
      decision?: { id?: string; runDate?: string };
      offers?: { offerId?: string; documents?: unknown[] }[];
      withdrawn?: { offerId?: string; reason?: string; event?: { at?: string } }[];
    };
    const fine =
      path === `/v1/customers/${a.customerId}/offers` &&
      a.today === isoDay(Date.now()) &&
      a.decision?.runDate === runDate &&
      Array.isArray(a.offers) &&
      a.offers.every((o) => typeof o.offerId === "string" && Array.isArray(o.documents)) &&
      Array.isArray(a.withdrawn) &&
      a.withdrawn.every(
        (w) => typeof w.offerId === "string" && typeof w.reason === "string" && typeof w.event?.at === "string",
      );
    if (fine) {
      held.answers++;
      held.offers += a.offers?.length ?? 0;
      held.bytes += body.length;
      for (const w of a.withdrawn ?? [])
        held.withdrawn[w.reason as string] = (held.withdrawn[w.reason as string] ?? 0) + 1;
    }
    return fine;
  };
  const rows: Row[] = [];
  try {
    await waitReady(child, base);
    const server = { pid: child.pid as number, key };
    const targets: Target[] = [
      { route: "/healthz", path: () => "/healthz" },
      { route: "/v1/templates/energy-bill", path: () => "/v1/templates/energy-bill" },
      { route: "/v1/customers/{id}/offers", path: offersPath, check: checkOffers },
    ];
    // Each route for 3 s first, so that the first row does not pay for compiling its code.
    for (const t of targets) await load(t, 10, 3, server);
    held.answers = held.offers = held.bytes = 0;
    held.withdrawn = {};
    // Interleaved at each connection count, so a change in the machine's load falls on all three alike.
    // autocannon leaves the requests in flight at the end of a row: let them finish before the next row, and
    // before the server stops (it closes the archive under the ones still waiting for a pooled connection).
    const settle = () => new Promise((ok) => setTimeout(ok, 3000));
    for (const c of connectionCounts)
      for (const t of targets) {
        rows.push(await load(t, c, duration, server));
        await settle();
      }
  } finally {
    child.kill("SIGTERM");
    await new Promise((ok) => child.once("exit", ok));
  }
  const reading = await openArchive(url);
  if (!reading.ok) throw new Error(reading.problems[0].message);
  const step = await steps(reading.value, customers);
  await reading.value.close();
  let unflushedStep: typeof step | undefined;
  if (unflushed !== undefined) {
    const opened = await openArchive(unflushed);
    if (!opened.ok) throw new Error(opened.problems[0].message);
    unflushedStep = await steps(opened.value, customers);
    await opened.value.close();
  }
  const loadEnd = loadavg()[0];

  const reasons = Object.entries(held.withdrawn)
    .sort((a, b) => b[1] - a[1])
    .map(([r, n]) => `${r} ${f(n / held.answers, 2)}`)
    .join(", ");
  out.push(
    `### ${name}`,
    "",
    "| route | connections | req/s | p50 ms | p90 ms | p99 ms | max ms | main thread CPU ms/req | 200 | non-2xx | errors | bad shape |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${r.route} | ${r.connections} | ${f(r.rps)} | ${f(r.p50, 2)} | ${f(r.p90, 2)} | ${f(r.p99, 2)} | ${f(r.max)} | ${f(r.cpuPerRequest, 2)} | ${r.ok} | ${r.non2xx} | ${r.errors} | ${r.route.includes("offers") ? r.badShape : "–"} |`,
    ),
    "",
    `- ${customers.length.toLocaleString("en-GB")} customers decided by the run (${runDate}, SMS only, ${f(runMs / 1000)} s); seeding in all ${f(seedMs / 1000, 0)} s.`,
    `- An answer held on average ${f(held.offers / held.answers, 2)} standing offers and withdrawn: ${reasons} (${f(held.bytes / held.answers / 1024, 1)} KiB).`,
    `- One request at a time in-process (medians of 350): audit write ${f(step.audit, 2)} ms, decisions of record ${f(step.decisions, 2)} ms, history ${f(step.histories, 2)} ms, offersNow ${f(step.offersNow, 3)} ms; all ${f(step.all, 2)} ms.`,
    ...(unflushedStep
      ? [
          `- The same with synchronous_commit off (commits do not wait for the WAL flush): audit write ${f(unflushedStep.audit, 2)} ms; all ${f(unflushedStep.all, 2)} ms.`,
        ]
      : []),
    `- ${duration} s per row; load average ${f(loadStart)} at the start, ${f(loadEnd)} at the end.`,
    "",
  );
  console.log(out.slice(-14).join("\n"));
  report.push({
    name,
    runDate,
    customers: customers.length,
    runMs,
    seedMs,
    loadStart,
    loadEnd,
    held,
    step,
    unflushedStep,
    rows,
  });
}
process.stdout.write(`\n${out.join("\n")}\n`);
writeFileSync(join(DATA, "offers.json"), `${JSON.stringify({ records, duration, report }, null, 2)}\n`);
