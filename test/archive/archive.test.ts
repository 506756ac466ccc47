import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Archive,
  ArchiveUnavailableError,
  type AuditEntry,
  type DocumentInput,
  type RequestClaim,
  documentId,
  openArchive,
  parseArchiveUrl,
} from "../../src/archive/index.ts";
import { sha256Hex } from "../../src/core/index.ts";
import type { CustomerInteraction } from "../../src/interactions/index.ts";
import { tcpProxy } from "../support/tcp-proxy.ts";
import { POSTGRES, postgresBackend, sqliteBackend } from "./backends.ts";

const doc = (over: Partial<DocumentInput> = {}): DocumentInput => ({
  customerId: "C0000001",
  template: "energy-bill",
  templateVersion: "1.0.0",
  channel: "pdf",
  runId: "run-1",
  created: "2026-11-01T06:00:00Z",
  offerIds: ["solar-export", "boiler-care"],
  contentType: "application/pdf",
  bytes: new TextEncoder().encode("%PDF-1.7 statement for C0000001"),
  ...over,
});

describe.each([
  ["sqlite", sqliteBackend],
  ["postgres", postgresBackend],
])("archive contract: %s", (_name, makeBackend) => {
  const backend = makeBackend();
  const work = mkdtempSync(join(tmpdir(), "omnidoc-blobs-"));
  const opened: Archive[] = [];
  let blobDir = "";
  let archive: Archive;
  let seq = 0;

  const open = async (url: string): Promise<Archive> => {
    const r = await openArchive(url);
    if (!r.ok) throw new Error(r.problems[0].message);
    opened.push(r.value);
    return r.value;
  };
  /** Each test gets its own empty archive. */
  const fresh = async (): Promise<Archive> => {
    blobDir = join(work, `blobs${seq++}`);
    archive = await open(backend.url(blobDir));
    return archive;
  };

  beforeAll(async () => {
    await fresh();
  });
  afterAll(async () => {
    for (const a of opened) await a.close().catch(() => {});
    await backend.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  it("records a document and gives back its id, hash and size, with the bytes on disk by hash", async () => {
    const a = await fresh();
    const input = doc();
    const stored = await a.record(input);
    expect(stored.id).toBe(documentId(input));
    expect(stored.sha256).toBe(sha256Hex(input.bytes));
    expect(stored.size).toBe(input.bytes.byteLength);
    expect(stored.created).toBe("2026-11-01T06:00:00.000Z");
    const path = join(blobDir, stored.sha256.slice(0, 2), stored.sha256.slice(2, 4), stored.sha256);
    expect(existsSync(path)).toBe(true);
    // No temporary file is left behind by the atomic write.
    expect(readdirSync(join(blobDir, stored.sha256.slice(0, 2), stored.sha256.slice(2, 4)))).toEqual([stored.sha256]);

    const got = await a.get(stored.id);
    expect(got?.document).toEqual(stored);
    expect(Buffer.from(got!.bytes).toString()).toBe("%PDF-1.7 statement for C0000001");
    expect(await a.get("no-such-document")).toBeUndefined();
  });

  it("lists a customer's documents newest first, each with its offers in order, and no one else's", async () => {
    const a = await fresh();
    await a.record(doc({ runId: "r-oct", created: "2026-10-01T06:00:00Z", offerIds: ["a"] }));
    await a.record(doc({ runId: "r-nov", created: "2026-11-01T06:00:00Z", channel: "email", offerIds: ["c", "b"] }));
    await a.record(doc({ runId: "r-sep", created: "2026-09-01", channel: "sms", offerIds: [] }));
    await a.record(doc({ customerId: "C0000002", runId: "r-nov" }));
    const list = await a.list("C0000001");
    expect(list.map((d) => [d.runId, d.channel, d.offerIds])).toEqual([
      ["r-nov", "email", ["c", "b"]],
      ["r-oct", "pdf", ["a"]],
      ["r-sep", "sms", []],
    ]);
    expect((await a.list("C0000001", { limit: 2 })).map((d) => d.runId)).toEqual(["r-nov", "r-oct"]);
    expect(await a.list("C9999999")).toEqual([]);
  });

  it("orders documents created at the same instant by when they were recorded", async () => {
    const a = await fresh();
    for (const ch of ["pdf", "email", "sms"]) await a.record(doc({ channel: ch }));
    expect((await a.list("C0000001")).map((d) => d.channel)).toEqual(["sms", "email", "pdf"]);
  });

  it("stores the same bytes once, however many documents carry them", async () => {
    const a = await fresh();
    const one = await a.record(doc({ customerId: "C1" }));
    const two = await a.record(doc({ customerId: "C2" }));
    expect(one.sha256).toBe(two.sha256);
    expect(one.id).not.toBe(two.id);
    const shard = join(blobDir, one.sha256.slice(0, 2), one.sha256.slice(2, 4));
    expect(readdirSync(shard)).toHaveLength(1);
  });

  it("replaces a document recorded again by the same run (a retried job), offers included", async () => {
    const a = await fresh();
    await a.record(doc({ offerIds: ["x", "y"] }));
    const again = await a.record(doc({ offerIds: ["z"], bytes: new TextEncoder().encode("second rendering") }));
    const list = await a.list("C0000001");
    expect(list).toHaveLength(1);
    expect(list[0]).toEqual(again);
    expect(list[0].offerIds).toEqual(["z"]);
    expect(Buffer.from((await a.get(again.id))!.bytes).toString()).toBe("second rendering");
  });

  it("records a thousand documents in one call", async () => {
    const a = await fresh();
    const docs = Array.from({ length: 1000 }, (_, i) =>
      doc({
        customerId: `C${String(i % 100).padStart(7, "0")}`,
        channel: ["pdf", "email", "sms"][i % 3],
        runId: `run-${Math.floor(i / 100)}`,
        offerIds: i % 2 ? ["o1", `o${i}`] : [],
        bytes: new TextEncoder().encode(`document ${i}`),
      }),
    );
    const stored = await a.recordMany(docs);
    expect(stored).toHaveLength(1000);
    const list = await a.list("C0000007");
    expect(list).toHaveLength(10);
    expect(list.find((d) => d.runId === "run-0")?.offerIds).toEqual(["o1", "o7"]);
  });

  it("records all of a batch or none of it", async () => {
    const a = await fresh();
    const bad = doc({ customerId: "C-broken", offerIds: [null as unknown as string] });
    await expect(a.recordMany([doc({ customerId: "C-good" }), bad])).rejects.toThrow();
    expect(await a.list("C-good")).toEqual([]);
    expect(await a.list("C-broken")).toEqual([]);
  });

  it("refuses a document whose created is not a date", async () => {
    const a = await fresh();
    await expect(a.record(doc({ created: "yesterday" }))).rejects.toThrow(/not an ISO date/);
    await expect(a.record(doc({ customerId: "" }))).rejects.toThrow(/customerId/);
  });

  it("keeps the newest profile given for a customer, whatever order it arrives in", async () => {
    const a = await fresh();
    const profile = (v: number) => JSON.parse(`{"id":"C0000001","v":${v},"__proto__":{"polluted":true}}`);
    await a.record(doc({ runId: "nov", created: "2026-11-01", profile: profile(11) }));
    await a.record(doc({ runId: "oct", created: "2026-10-01", profile: profile(10) }));
    expect(await a.lastProfile("C0000001")).toMatchObject({ v: 11 });
    await a.recordMany([
      doc({ runId: "dec", created: "2026-12-01", profile: profile(12) }),
      doc({ runId: "dec", channel: "sms", created: "2026-12-01", profile: profile(12) }),
    ]);
    const last = (await a.lastProfile("C0000001")) as Record<string, unknown>;
    expect(last.v).toBe(12);
    // An own `__proto__` key stays data; nothing reaches Object.prototype.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await a.lastProfile("C-nobody")).toBeUndefined();
  });

  it("finds customers by the account number of their last profile of record, and by no older one", async () => {
    const a = await fresh();
    const profile = (id: string, number: string) => ({ id, account: { number } });
    await a.record(doc({ runId: "oct", created: "2026-10-01", profile: profile("C0000001", "ACC-1") }));
    await a.record(doc({ runId: "nov", created: "2026-11-01", profile: profile("C0000001", "ACC-9") }));
    await a.record(doc({ customerId: "C0000002", created: "2026-11-02", profile: profile("C0000002", "ACC-2") }));
    // A caller's profile never became the record: its account number finds no one.
    await a.record(doc({ customerId: "C0000003", runId: "api-1", profileSource: "caller" }));
    expect(await a.customersByAccount("ACC-9")).toEqual(["C0000001"]);
    expect(await a.customersByAccount("ACC-2")).toEqual(["C0000002"]);
    expect(await a.customersByAccount("ACC-1")).toEqual([]);
    expect(await a.customersByAccount("acc-9")).toEqual([]);
    expect(await a.customersByAccount("' OR 1=1 --")).toEqual([]);
    // Two customers on one account (a shared account moved between records): the latest update first.
    await a.record(doc({ customerId: "C0000004", created: "2026-12-01", profile: profile("C0000004", "ACC-2") }));
    expect(await a.customersByAccount("ACC-2")).toEqual(["C0000004", "C0000002"]);
  });

  it("records which key made a document, and never lets a caller's profile become the profile of record", async () => {
    const a = await fresh();
    const real = { id: "C0000001", contact: { email: "chloe@example.com" } };
    await a.record(doc({ runId: "nov", created: "2026-11-01", profile: real }));
    const forged = await a.record(
      doc({ runId: "api-1", created: "2026-12-01", madeBy: "renderer", profileSource: "caller" }),
    );
    expect(forged).toMatchObject({ madeBy: "renderer", profileSource: "caller" });
    expect(await a.lastProfile("C0000001")).toEqual(real);
    const [newest, billed] = await a.list("C0000001");
    expect(newest).toEqual(forged);
    expect(billed.profileSource).toBe("record");
    expect(billed.madeBy).toBeUndefined();
    await expect(
      a.record(doc({ runId: "api-2", profileSource: "caller", profile: { id: "C0000001" } })),
    ).rejects.toThrow(/never becomes the profile of record/);
  });

  it("keeps an audit trail per customer, newest first, written with the document it concerns", async () => {
    const a = await fresh();
    const entry = (at: string, over: Partial<AuditEntry> = {}): AuditEntry => ({
      at,
      keyName: "agent-desk",
      route: "GET /v1/customers/:id/documents",
      customerId: "C0000001",
      action: "read",
      ...over,
    });
    const stored = await a.record(doc(), [
      entry("2026-11-01T10:00:00.000Z", { keyName: "renderer", route: "POST /v1/documents", action: "write" }),
    ]);
    await a.audit([entry("2026-11-02T10:00:00.000Z", { documentId: stored.id })]);
    await a.audit([entry("2026-11-03T10:00:00.000Z", { customerId: "C0000002" })]);
    expect(await a.auditTrail("C0000001")).toEqual([
      entry("2026-11-02T10:00:00.000Z", { documentId: stored.id }),
      entry("2026-11-01T10:00:00.000Z", { keyName: "renderer", route: "POST /v1/documents", action: "write" }),
    ]);
    expect(await a.auditTrail("C0000001", { limit: 1 })).toHaveLength(1);
    expect(await a.auditTrail("C9999999")).toEqual([]);
    // A document that is not recorded leaves no audit entry either: one transaction.
    const bad = doc({ customerId: "C0000003", offerIds: [null as unknown as string] });
    await expect(a.record(bad, [entry("2026-11-04T00:00:00.000Z", { customerId: "C0000003" })])).rejects.toThrow();
    expect(await a.auditTrail("C0000003")).toEqual([]);
  });

  it("gives an idempotency key to one request at a time, keeps its answer, and frees it when it expires", async () => {
    const a = await fresh();
    const claim = (over: Partial<RequestClaim> = {}): RequestClaim => ({
      keyName: "renderer",
      idempotencyKey: "order-42",
      requestHash: "h1",
      now: "2026-11-01T10:00:00.000Z",
      expires: "2026-11-01T10:01:00.000Z",
      ...over,
    });
    expect(await a.claimRequest(claim())).toEqual({ claimed: true });
    // In flight: a second request learns the first one's hash and that it has no answer yet.
    expect(await a.claimRequest(claim({ requestHash: "h2" }))).toEqual({ claimed: false, requestHash: "h1" });
    // Keys are scoped per caller.
    expect(await a.claimRequest(claim({ keyName: "other-app" }))).toEqual({ claimed: true });

    const response = { status: 200, headers: { "content-type": "application/pdf" }, body: new Uint8Array([0, 1, 255]) };
    await a.answerRequest("renderer", "order-42", response, "2026-11-02T10:00:00.000Z");
    const replay = await a.claimRequest(claim({ now: "2026-11-02T09:59:59.000Z" }));
    expect(replay).toEqual({ claimed: false, requestHash: "h1", response });

    // Past its expiry the key is free again, for any request.
    expect(await a.claimRequest(claim({ requestHash: "h3", now: "2026-11-02T10:00:00.000Z" }))).toEqual({
      claimed: true,
    });
    await a.releaseRequest("renderer", "order-42");
    expect(await a.claimRequest(claim({ requestHash: "h4" }))).toEqual({ claimed: true });
  });

  it("lets exactly one of many concurrent claims of a key win", async () => {
    const a = await fresh();
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, () =>
        a.claimRequest({
          keyName: "renderer",
          idempotencyKey: "burst",
          requestHash: "h",
          now: "2026-11-01T10:00:00.000Z",
          expires: "2026-11-01T10:01:00.000Z",
        }),
      ),
    );
    expect(outcomes.filter((o) => o.claimed)).toHaveLength(1);
  });

  const contact = (over: Partial<CustomerInteraction> = {}): CustomerInteraction => ({
    customerId: "C0000001",
    source: "genesys",
    sourceId: "call-1",
    at: "2026-11-03T09:15:00+01:00",
    channel: "call-centre",
    topic: "billing",
    ...over,
  });

  it("records an interaction with its time in UTC, and lists only the customer's", async () => {
    const a = await fresh();
    const receipts = await a.recordInteractions(
      [
        contact({ outcome: "resolved", note: "asked about the November bill" }),
        contact({ customerId: "C2", sourceId: "x" }),
      ],
      [
        {
          at: "2026-11-03T10:00:00.000Z",
          keyName: "crm",
          route: "POST /v1/customers/:id/interactions",
          customerId: "C0000001",
          action: "write",
        },
      ],
    );
    expect(receipts).toEqual([
      { source: "genesys", sourceId: "call-1", added: true },
      { source: "genesys", sourceId: "x", added: true },
    ]);
    expect(await a.interactions("C0000001")).toEqual([
      contact({ at: "2026-11-03T08:15:00.000Z", outcome: "resolved", note: "asked about the November bill" }),
    ]);
    expect(await a.interactions("C9")).toEqual([]);
    // Written with the interactions, in the same transaction.
    expect((await a.auditTrail("C0000001")).map((e) => e.action)).toEqual(["write"]);
  });

  it("records a source's interaction once: a repeat, within a call or in a later one, changes nothing", async () => {
    const a = await fresh();
    const first = await a.recordInteractions([contact(), contact({ topic: "sent twice in one batch" })]);
    expect(first.map((r) => r.added)).toEqual([true, false]);
    const again = await a.recordInteractions([
      contact({ topic: "changed on retry" }),
      contact({ sourceId: "call-2" }),
      // Another system may use the same id for another contact.
      contact({ source: "zendesk" }),
    ]);
    expect(again.map((r) => r.added)).toEqual([false, true, true]);
    const kept = await a.interactions("C0000001");
    expect(kept).toHaveLength(3);
    expect(kept.filter((i) => i.sourceId === "call-1" && i.source === "genesys").map((i) => i.topic)).toEqual([
      "billing",
    ]);
  });

  it("lists interactions newest first by when they happened, whatever the order or offset they came in", async () => {
    const a = await fresh();
    await a.recordInteractions([
      contact({ sourceId: "b", at: "2026-11-02T12:00:00Z" }),
      contact({ sourceId: "c", at: "2026-11-02T23:30:00-02:00" }), // 2026-11-03T01:30Z: the newest
      contact({ sourceId: "a", at: "2026-10-30T08:00:00Z" }),
    ]);
    await a.recordInteractions([contact({ sourceId: "d", at: "2026-11-02T12:00:00Z" })]);
    expect((await a.interactions("C0000001")).map((i) => i.sourceId)).toEqual(["c", "d", "b", "a"]);
    expect((await a.interactions("C0000001", { limit: 2 })).map((i) => i.sourceId)).toEqual(["c", "d"]);
  });

  it("keeps its data and applies no migration twice when opened again", async () => {
    const blobs = join(work, `reopen${seq++}`);
    const url = backend.url(blobs);
    const first = await open(url);
    const stored = await first.record(doc());
    await first.close();
    const second = await open(url);
    expect(await second.list("C0000001")).toEqual([stored]);
    expect(await second.ping()).toBe(true);
  });

  it("refuses bytes that no longer match their hash", async () => {
    const a = await fresh();
    const stored = await a.record(doc({ bytes: new TextEncoder().encode("original") }));
    const path = join(blobDir, stored.sha256.slice(0, 2), stored.sha256.slice(2, 4), stored.sha256);
    writeFileSync(path, "tampered");
    await expect(a.get(stored.id)).rejects.toThrow(/corrupt/);
  });
});

describe("archive URLs", () => {
  it("reads sqlite and postgres URLs with their own parameters", () => {
    const s = parseArchiveUrl("sqlite:/data/archive.db");
    expect(s.ok && s.value).toMatchObject({ kind: "sqlite", target: "/data/archive.db", blobs: "/data/blobs" });
    const p = parseArchiveUrl(
      "postgres://u:secret@db:5432/omnidoc?schema=docs&blobs=/mnt/omnidoc-blobs&sslmode=require",
    );
    expect(p.ok && p.value).toMatchObject({
      kind: "postgres",
      target: "postgres://u:secret@db:5432/omnidoc?sslmode=require",
      schema: "docs",
      blobs: "/mnt/omnidoc-blobs",
    });
  });

  it("says what is wrong with an unknown URL, without its password", async () => {
    const r = await openArchive("mysql://u:secret@db/x");
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems[0].code).toBe("OMD_ARCHIVE_URL");
      expect(r.problems[0].message).not.toContain("secret");
    }
  });

  it("says PostgreSQL is unreachable when it goes away under an open archive, and works again when it is back", async () => {
    const proxy = await tcpProxy({ host: "127.0.0.1", port: 5432 });
    const schema = `omnidoc_test_${process.pid}_outage`;
    const dir = mkdtempSync(join(tmpdir(), "omnidoc-outage-"));
    const opened = await openArchive(`postgres://postgres@127.0.0.1:${proxy.port}/test?schema=${schema}&blobs=${dir}`);
    if (!opened.ok) throw new Error(opened.problems[0].message);
    const a = opened.value;
    try {
      const stored = await a.record(doc());
      await proxy.stop();
      const letter = { subject: "document:x", channel: "print", customerId: "C0000001", at: "2026-11-01" } as const;
      for (const call of [
        () => a.list("C0000001"),
        () => a.get(stored.id),
        () => a.record(doc({ runId: "r2" })),
        () => a.claimDelivery(letter),
        () => a.moveDelivery(stored.id, ["pending"], { state: "sending", at: "2026-11-01" }),
        () => a.deliveries("C0000001"),
      ]) {
        const error = await call().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ArchiveUnavailableError);
        expect((error as Error).message).toMatch(/^the archive database \(postgres\) is unreachable/);
      }
      await proxy.start();
      expect(await a.list("C0000001")).toEqual([stored]);
    } finally {
      await a.close();
      await proxy.stop();
      const client = new pg.Client(POSTGRES);
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reports an unreachable PostgreSQL as a problem, not a crash", async () => {
    const r = await openArchive("postgres://postgres@127.0.0.1:1/test");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0].code).toBe("OMD_ARCHIVE_UNAVAILABLE");
  });
});
