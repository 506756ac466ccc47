import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TcpProxy, tcpProxy } from "../support/tcp-proxy.ts";
import { KEYS, type Running, call, sampleProfile, startServer } from "./support.ts";

const POSTGRES = "postgres://postgres@127.0.0.1:5432/test";
const SCHEMA = `omnidoc_outage_${process.pid}`;

/** The API on a real PostgreSQL reached through a relay the test takes down, as a database that goes away. */
let proxy: TcpProxy;
let s: Running;
const blobs = mkdtempSync(join(tmpdir(), "omnidoc-outage-"));
beforeAll(async () => {
  proxy = await tcpProxy({ host: "127.0.0.1", port: 5432 });
  s = await startServer({
    archiveUrl: `postgres://postgres@127.0.0.1:${proxy.port}/test?schema=${SCHEMA}&blobs=${blobs}`,
  });
});
afterAll(async () => {
  await s?.close();
  await proxy?.stop();
  rmSync(blobs, { recursive: true, force: true });
  const client = new pg.Client(POSTGRES);
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await client.end();
});

const render = (over: Record<string, unknown> = {}) =>
  call(s.base, "/v1/documents", {
    key: KEYS.renderAndRead,
    body: { template: "energy-bill", channel: "sms", runDate: "2026-11-01", profile: sampleProfile(), ...over },
  });

describe("the archive's database going away", () => {
  it("answers 503 with Retry-After naming the database on every archive route, and recovers when it is back", async () => {
    const made = await render();
    expect(made.status).toBe(200);
    const id = made.headers.get("omnidoc-document-id");

    await proxy.stop();
    const answers = [
      await render(),
      await render({ profile: undefined, customerId: "C0000001" }),
      await call(s.base, "/v1/decisions", {
        key: KEYS.renderAndRead,
        body: { runDate: "2026-11-01", customerId: "C0000001" },
      }),
      await call(s.base, "/v1/documents", {
        key: KEYS.render,
        body: { template: "energy-bill", channel: "sms", runDate: "2026-11-01", profile: sampleProfile() },
        headers: { "idempotency-key": "while-down" },
      }),
      await call(s.base, "/v1/customers/C0000001/documents", { key: KEYS.archive }),
      await call(s.base, `/v1/documents/${id}`, { key: KEYS.archive }),
      await call(s.base, "/v1/customers/C0000001/audit", { key: KEYS.admin }),
    ];
    for (const r of answers) {
      expect(r.status).toBe(503);
      expect(r.headers.get("retry-after")).toBe("5");
      expect((await r.json()).problems[0]).toEqual({
        code: "OMD_ARCHIVE_UNAVAILABLE",
        message: "the archive database (postgres) is unreachable",
        hint: "retry after the delay in Retry-After",
      });
    }
    // A document that is not archived is still decided on the customer's history, which only the archive holds:
    // no offer goes out to someone whose complaint or opt-out cannot be read.
    const unarchived = await render({ archive: false });
    expect(unarchived.status).toBe(503);
    expect((await unarchived.json()).problems[0].code).toBe("OMD_ARCHIVE_UNAVAILABLE");
    expect((await (await call(s.base, "/readyz")).json()).archive).toBe("unavailable");

    await proxy.start();
    expect((await render()).status).toBe(200);
    expect((await render({ archive: false })).status).toBe(200);
    expect((await call(s.base, "/v1/customers/C0000001/documents", { key: KEYS.archive })).status).toBe(200);
  });
});
