/**
 * The archive's probes of issue 16, as figures: repeated requests and the documents they archive, the API's
 * answers while PostgreSQL is unreachable, a forged profile sent by a render key, the audit trail.
 *
 *   npx tsx bench/api/archive-probes.ts [--down-seconds 10]
 *
 * Runs the API in this process on a PostgreSQL schema of its own, reached through a TCP relay the script takes
 * down and brings back (the machine's PostgreSQL keeps running). Prints one JSON object.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { openArchive } from "../../src/archive/index.ts";
import { buildServer, newKey } from "../../src/server/index.ts";
import { tcpProxy } from "../../test/support/tcp-proxy.ts";

const ROOT = join(import.meta.dirname, "../..");
const POSTGRES = "postgres://postgres@127.0.0.1:5432/test";
const SCHEMA = `omnidoc_probes_${process.pid}`;
const { values } = parseArgs({ options: { "down-seconds": { type: "string", default: "10" } } });
const downMs = Number(values["down-seconds"]) * 1000;

const keys = {
  render: newKey("renderer", ["render"]),
  contactCentre: newKey("contact-centre", ["render", "archive:read"]),
  records: newKey("crm-sync", ["render", "profile:write"]),
  admin: newKey("operator", ["admin"]),
};
/** Sample customers with a mobile: every request here can render its SMS. */
const profiles = readFileSync(join(ROOT, "samples/customers-200.ndjson"), "utf8")
  .trim()
  .split("\n")
  .map((l) => JSON.parse(l))
  .filter((p) => p.contact?.mobile);

const proxy = await tcpProxy({ host: "127.0.0.1", port: 5432 });
const blobs = mkdtempSync(join(tmpdir(), "omnidoc-probes-"));
const opened = await openArchive(`postgres://postgres@127.0.0.1:${proxy.port}/test?schema=${SCHEMA}&blobs=${blobs}`);
if (!opened.ok) throw new Error(opened.problems[0].message);
const archive = opened.value;
const app = await buildServer({
  keys: Object.values(keys).map((k) => k.entry),
  archive,
  root: ROOT,
  pool: { workers: 2 },
  log: false,
});
const base = await app.listen({ port: 0, host: "127.0.0.1" });

const post = (key: { key: string }, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/v1/documents`, {
    method: "POST",
    headers: { authorization: `Bearer ${key.key}`, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
const sms = (profile: unknown) => ({ template: "energy-bill", channel: "sms", runDate: "2026-11-01", profile });
const count = (statuses: number[]) =>
  Object.fromEntries([...new Set(statuses)].sort().map((s) => [s, statuses.filter((x) => x === s).length]));
const archived = async (id: string) => (await archive.list(id, { limit: 10_000 })).length;

const figures: Record<string, unknown> = {};
try {
  // Finding 8: three identical requests, without and with an Idempotency-Key; then 109 at 8 at a time.
  const plain = profiles[20];
  for (let i = 0; i < 3; i++) await (await post(keys.render, sms(plain))).arrayBuffer();
  const keyed = profiles[21];
  const keyedStatuses = [];
  for (let i = 0; i < 3; i++) {
    const r = await post(keys.render, sms(keyed), { "idempotency-key": "probe-3" });
    keyedStatuses.push(`${r.status}${r.headers.get("idempotent-replayed") ? " replayed" : ""}`);
    await r.arrayBuffer();
  }
  const burst = profiles[22];
  const burstStatuses: number[] = [];
  let replayed = 0;
  for (let i = 0; i < 109; i += 8) {
    const answers = await Promise.all(
      Array.from({ length: Math.min(8, 109 - i) }, () =>
        post(keys.render, sms(burst), { "idempotency-key": "probe-109" }),
      ),
    );
    for (const r of answers) {
      burstStatuses.push(r.status);
      if (r.headers.get("idempotent-replayed")) replayed++;
      await r.arrayBuffer();
    }
  }
  figures.idempotency = {
    "3 identical, no key": { documents: await archived(plain.id) },
    "3 identical, one Idempotency-Key": { statuses: keyedStatuses, documents: await archived(keyed.id) },
    "109 identical SMS, one key, 8 at a time": {
      statuses: count(burstStatuses),
      replayed,
      documents: await archived(burst.id),
    },
  };

  // Finding 2: a render key sends a forged profile for a customer; the contact centre then re-renders by id.
  const real = profiles[23];
  await (await post(keys.records, sms(real))).arrayBuffer();
  const forged = structuredClone(real);
  forged.contact.mobile = "+447700900666";
  const attack = await post(keys.render, sms(forged));
  await attack.arrayBuffer();
  const again = await post(keys.contactCentre, { ...sms(undefined), profile: undefined, customerId: real.id });
  const sent = (await again.json()) as { to?: string };
  figures.forgedProfile = {
    attack: attack.status,
    reRenderById: again.status,
    sentTo:
      sent.to === real.contact.mobile
        ? "the customer's mobile"
        : sent.to === forged.contact.mobile
          ? "the forged mobile"
          : sent.to,
    list: (await archive.list(real.id)).map((d) => `${d.madeBy ?? "-"}/${d.profileSource ?? "-"}`),
  };

  // Finding 7: PostgreSQL unreachable for downMs while 4 clients keep rendering with archiving and reading.
  await proxy.stop();
  const downStatuses: number[] = [];
  const retryAfter = new Set<string | null>();
  const codes = new Set<string>();
  const until = Date.now() + downMs;
  await Promise.all(
    Array.from({ length: 4 }, async (_, c) => {
      for (let i = 0; Date.now() < until; i++) {
        const r =
          i % 2 === 0
            ? await post(keys.contactCentre, sms(profiles[30 + c]))
            : await fetch(`${base}/v1/customers/${profiles[30 + c].id}/documents`, {
                headers: { authorization: `Bearer ${keys.contactCentre.key}` },
              });
        downStatuses.push(r.status);
        retryAfter.add(r.headers.get("retry-after"));
        const b = (await r.json()) as { problems?: { code: string }[] };
        if (b.problems) codes.add(b.problems[0].code);
      }
    }),
  );
  await proxy.start();
  const after = await post(keys.contactCentre, sms(profiles[30]));
  await after.arrayBuffer();
  figures.databaseDown = {
    seconds: downMs / 1000,
    statuses: count(downStatuses),
    retryAfter: [...retryAfter],
    codes: [...codes],
    firstAfterBack: after.status,
  };

  // Finding 12: what the audit trail holds for the attacked customer.
  const trail = await fetch(`${base}/v1/customers/${real.id}/audit`, {
    headers: { authorization: `Bearer ${keys.admin.key}` },
  });
  figures.audit = {
    status: trail.status,
    entries: trail.ok
      ? ((await trail.json()) as { entries: { keyName: string; action: string; route: string }[] }).entries.map(
          (e) => `${e.keyName} ${e.action} ${e.route}`,
        )
      : [],
  };
} finally {
  await app.close();
  await archive.close();
  await proxy.stop();
  rmSync(blobs, { recursive: true, force: true });
  const client = new pg.Client(POSTGRES);
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await client.end();
}
console.log(JSON.stringify(figures, null, 2));
