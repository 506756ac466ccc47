/**
 * Events to hand-over, end to end: `omnidoc serve --events` as its own process, with a Redis server, an SMTP
 * server (smtp-server) and Kannel with fakesmsc of the bench's own, and the SQLite archive holding a profile of
 * record for every customer. The bench posts `payment.missed` events at a steady rate, one customer each (the
 * dedupe window would make repeats start nothing), and reads from the archive when each message was handed to the
 * mail server or to Kannel (its `sent` step, on the same machine's clock). Latency is from the moment the API
 * answered 202 to that hand-over. Each event composes the payment reminder's SMS and email (one decision).
 *
 *   npx tsx bench/events/run.ts                        # 50 events/s for 60 s
 *   npx tsx bench/events/run.ts --rate 100 --seconds 30
 */
import "../signing-keys.ts";
import { readFileSync, rmSync, mkdtempSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { type DeliveryChannel, openArchive } from "../../src/archive/index.ts";
import type { Profile } from "../../src/profile/index.ts";
import { newKey } from "../../src/server/index.ts";
import { inArrears } from "../../test/support/customers.ts";
import { Kannel } from "../../test/support/kannel.ts";
import { MailServer } from "../../test/support/mail-server.ts";
import { OmnidocProcess } from "../../test/support/omnidoc-process.ts";
import { RedisServer, freePort } from "../../test/support/redis-server.ts";
import { extract } from "../extract.ts";

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}
const rate = flag("--rate", 50);
const seconds = flag("--seconds", 60);
const events = Math.round(rate * seconds);

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

/** A whole-hour zone where it is now between 10:00 and 17:59, whatever the time of the bench. */
const DAYTIME_ZONE = (() => {
  const utcHour = new Date().getUTCHours();
  // Etc/GMT-N is N hours ahead of UTC (POSIX signs).
  const ahead = (((13 - utcHour) % 24) + 24) % 24;
  const offset = ahead > 12 ? ahead - 24 : ahead;
  return offset === 0 ? "UTC" : `Etc/GMT${offset > 0 ? "-" : "+"}${Math.abs(offset)}`;
})();

/** Customers reachable by text and email, in arrears (the reminder's audience), in England, at 10:00 or so. */
function customers(): Profile[] {
  const lines = readFileSync(extract(Math.max(events, 1000)), "utf8")
    .trim()
    .split("\n");
  return lines.slice(0, events).map((line, i) => {
    const p = inArrears(JSON.parse(line) as Profile);
    p.contact.address.country = "GB";
    p.contact.mobile = `+4477009${String(i).padStart(5, "0")}`;
    p.contact.email = `customer-${i}@example.com`;
    p.preferences.channels = ["print", "email", "sms"];
    // Quiet hours would hold texts back: the bench's customers live where it is day now.
    p.preferences.timeZone = DAYTIME_ZONE;
    return p;
  });
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), "omnidoc-bench-events-"));
  const archiveUrl = `sqlite:${join(work, "archive.db")}`;
  const profiles = customers().filter((p) => !Number.isNaN(Date.parse(p.account.statementDate)));
  {
    const archive = await openArchive(archiveUrl);
    if (!archive.ok) throw new Error(archive.problems[0].message);
    // Each customer's profile of record, as a CRM feed leaves it: one tiny document each.
    for (let i = 0; i < profiles.length; i += 500)
      await archive.value.recordMany(
        profiles.slice(i, i + 500).map((p) => ({
          customerId: p.id,
          template: "crm",
          templateVersion: "1",
          channel: "profile",
          runId: "crm-feed",
          created: "2026-11-01",
          offerIds: [],
          contentType: "application/json",
          bytes: new TextEncoder().encode("{}"),
          profile: p,
        })),
      );
    await archive.value.close();
  }
  const [redis, kannel, mail, port] = await Promise.all([
    RedisServer.start(),
    Kannel.start(),
    MailServer.start(),
    freePort(),
  ]);
  const key = newKey("bench", ["events:write"]);
  writeFileSync(join(work, "keys.json"), JSON.stringify([key.entry]));
  const server = OmnidocProcess.start(
    [
      "serve",
      "--port",
      String(port),
      "--archive",
      archiveUrl,
      "--keys",
      join(work, "keys.json"),
      "--events",
      redis.url(),
      "--smtp",
      mail.url,
      "--kannel",
      `${kannel.url.replace("http://", `http://${kannel.username}:${kannel.password}@`)}`,
      "--log-level",
      "warn",
      "--no-studio",
      "--no-agent",
    ],
    {},
  );
  try {
    await server.waitFor(/./, 120_000).catch(() => undefined);
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 600; i++) {
      const up = await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    console.log(`${profiles.length} events at ${rate}/s; load before ${load()}`);
    const accepted = new Map<string, number>();
    const start = performance.now();
    const posts: Promise<void>[] = [];
    for (let i = 0; i < profiles.length; i++) {
      const due = start + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const p = profiles[i];
      posts.push(
        fetch(`${base}/v1/events`, {
          method: "POST",
          headers: { authorization: `Bearer ${key.key}`, "content-type": "application/json" },
          body: JSON.stringify({
            id: `bench-${i}`,
            type: "payment.missed",
            customerId: p.id,
            at: new Date().toISOString(),
          }),
        }).then(async (r) => {
          if (r.status !== 202) throw new Error(`POST /v1/events answered ${r.status}: ${await r.text()}`);
          accepted.set(p.id, Date.now());
        }),
      );
    }
    await Promise.all(posts);
    const postedIn = (performance.now() - start) / 1000;
    console.log(`posted in ${postedIn.toFixed(1)} s (${(profiles.length / postedIn).toFixed(1)}/s); load ${load()}`);
    await mail.messageTo(profiles.at(-1)?.contact.email as string);
    await new Promise((r) => setTimeout(r, 2000));
    const archive = await openArchive(archiveUrl);
    if (!archive.ok) throw new Error(archive.problems[0].message);
    const latencies = new Map<DeliveryChannel, number[]>([
      ["sms", []],
      ["email", []],
    ]);
    let missing = 0;
    const perCustomer = new Map<string, number[]>();
    for (const p of profiles) {
      const deliveries = await archive.value.deliveries(p.id);
      for (const channel of ["sms", "email"] as const) {
        const sent = deliveries.find((d) => d.channel === channel)?.steps.find((s) => s.state === "sent");
        if (!sent) {
          missing++;
          continue;
        }
        const ms = Date.parse(sent.at) - (accepted.get(p.id) as number);
        latencies.get(channel)?.push(ms);
        perCustomer.set(p.id, [...(perCustomer.get(p.id) ?? []), ms]);
      }
    }
    await archive.value.close();
    const all = [...latencies.values()].flat().sort((a, b) => a - b);
    for (const [channel, ms] of [...latencies, ["both", all] as const]) {
      const sorted = [...ms].sort((a, b) => a - b);
      console.log(
        `${channel.padEnd(5)} ${String(sorted.length).padStart(5)} handed over: p50 ${percentile(sorted, 0.5)} ms, p90 ${percentile(sorted, 0.9)} ms, p99 ${percentile(sorted, 0.99)} ms, max ${sorted.at(-1)} ms`,
      );
    }
    // The same, by when the event was posted: a backlog left by a slow start drains (or grows) over the run.
    const tenth = Math.ceil(profiles.length / 10);
    const parts = [];
    for (let i = 0; i < profiles.length; i += tenth) {
      const ids = new Set(profiles.slice(i, i + tenth).map((p) => p.id));
      const ms = [...perCustomer]
        .filter(([id]) => ids.has(id))
        .flatMap(([, v]) => v)
        .sort((a, b) => a - b);
      parts.push(`${percentile(ms, 0.5)}/${percentile(ms, 0.99)}`);
    }
    console.log(`p50/p99 ms by tenth of the run: ${parts.join(" ")}`);
    console.log(
      `not handed over: ${missing}; operator got ${kannel.received.length} SMS parts, mail server ${mail.received.length} emails; load after ${load()}`,
    );
  } finally {
    server.child.kill("SIGTERM");
    await server.exited;
    await Promise.all([kannel.stop(), mail.close(), redis.stop()]);
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
