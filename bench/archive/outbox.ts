/**
 * What the outbox's bookkeeping costs the archive: per message a claim and two moves (to `sending`, counting the
 * attempt, then to `sent` with the gateway's id), 8 messages in flight, against the baseline of recording one
 * interaction per message the same way (one single-row transaction each); then the reads the outbox and the agent's
 * view make on the filled tables (a customer's deliveries with their steps, a delivery by its gateway id, the print
 * queue), with PostgreSQL's plan for each, on SQLite and PostgreSQL.
 *
 *   npx tsx bench/archive/outbox.ts [messages=5000] [postgres URL]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { type Archive, type DeliveryChannel, openArchive } from "../../src/archive/index.ts";

const MESSAGES = Number(process.argv[2] ?? 5000);
const POSTGRES = process.argv[3] ?? "postgres://postgres@127.0.0.1:5432/test";
const IN_FLIGHT = 8;
const CHANNELS: DeliveryChannel[] = ["email", "sms", "print", "email", "sms"];
const customer = (i: number) => `C${String((i % Math.ceil(MESSAGES / 5)) + 1).padStart(7, "0")}`;

/** `work(i)` for i in 0…n-1, `IN_FLIGHT` at a time; answers the rate per second. */
async function rate(n: number, work: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < n) await work(next++);
    }),
  );
  return n / ((performance.now() - started) / 1000);
}

async function message(a: Archive, i: number) {
  const channel = CHANNELS[i % CHANNELS.length];
  const at = new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString();
  const { claimed, delivery } = await a.claimDelivery({
    subject: `event:e${i}`,
    channel,
    customerId: customer(i),
    ...(channel !== "print" && { address: channel === "email" ? `c${i}@example.org` : "+447700900123" }),
    at,
  });
  if (!claimed) throw new Error(`message ${i} claimed twice`);
  // Letters wait for the print batch: half of them still wait.
  if (channel === "print" && i % 10 === 2) return;
  if (!(await a.moveDelivery(delivery.id, ["pending"], { state: "sending", at, attempt: true })))
    throw new Error(`message ${i} moved twice`);
  await a.moveDelivery(delivery.id, ["sending"], { state: "sent", at, gateway: channel, gatewayId: `g${i}` });
}

/** Median milliseconds of `n` sequential calls. */
async function median(n: number, call: (i: number) => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await call(i);
    times.push(performance.now() - t);
  }
  return times.sort((x, y) => x - y)[Math.floor(n / 2)];
}

async function bench(name: string, url: string, explain?: (sql: string, values: unknown[]) => Promise<string>) {
  const opened = await openArchive(url);
  if (!opened.ok) throw new Error(opened.problems[0].message);
  const a = opened.value;
  try {
    const baseline = await rate(MESSAGES, (i) =>
      a.recordInteractions([
        {
          customerId: customer(i),
          source: "bench",
          sourceId: `i${i}`,
          at: "2026-11-01T10:00:00Z",
          channel: "call-centre",
          topic: "billing",
        },
      ]),
    );
    const messages = await rate(MESSAGES, (i) => message(a, i));
    const ms = (v: number) => `${v.toFixed(2)} ms`;
    console.log(`${name}: ${MESSAGES} messages`);
    console.log(`  one-row interaction (baseline) ${baseline.toFixed(0)}/s`);
    console.log(
      `  message (claim + 2 moves)       ${messages.toFixed(0)}/s = ${(baseline / messages).toFixed(2)}x a one-row write`,
    );
    console.log(`  deliveries(customer) p50        ${ms(await median(200, (i) => a.deliveries(customer(i * 7))))}`);
    console.log(
      `  deliveryByGatewayId p50         ${ms(await median(200, (i) => a.deliveryByGatewayId("sms", `g${i * 5 + 1}`)))}`,
    );
    console.log(`  printQueue() p50 (first 200)    ${ms(await median(50, () => a.printQueue()))}`);
    if (explain) {
      console.log(
        `  plan, customer: ${await explain("SELECT * FROM deliveries WHERE customer_id = $1 ORDER BY created DESC, id DESC LIMIT 200", [customer(3)])}`,
      );
      console.log(
        `  plan, gateway id: ${await explain("SELECT * FROM deliveries WHERE gateway = $1 AND gateway_id = $2", ["sms", "g1"])}`,
      );
      console.log(
        `  plan, print queue: ${await explain("SELECT * FROM deliveries WHERE channel = 'print' AND state = 'pending' ORDER BY created, id LIMIT 200", [])}`,
      );
    }
  } finally {
    await a.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), "omnidoc-bench-outbox-"));
const schema = `omnidoc_bench_outbox_${process.pid}`;
const client = new pg.Client(POSTGRES);
try {
  await bench("sqlite", `sqlite:${join(dir, "a.db")}?blobs=${join(dir, "blobs")}`);
  await client.connect();
  const explain = async (sql: string, values: unknown[]) => {
    await client.query(`SET search_path = ${schema}`);
    const r = await client.query(`EXPLAIN ${sql}`, values);
    return r.rows.map((row) => String(row["QUERY PLAN"]).trim()).join(" / ");
  };
  await bench("postgres", `${POSTGRES}?schema=${schema}&blobs=${join(dir, "pg-blobs")}`, explain);
} finally {
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
  await client.end().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
}
