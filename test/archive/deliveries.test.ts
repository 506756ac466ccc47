import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Archive, type DeliveryInput, deliveryId, openArchive } from "../../src/archive/index.ts";
import { archives, postgresBackend, sqliteBackend } from "./backends.ts";

const claim = (over: Partial<DeliveryInput> = {}): DeliveryInput => ({
  subject: "event:meter-read-missing-C0000001-2026-11",
  channel: "email",
  customerId: "C0000001",
  address: "Ada.Lovelace@Example.org",
  documentId: "0123456789abcdef0123456789abcdef",
  at: "2026-11-03T09:15:00+01:00",
  ...over,
});

const letter = (n: number, at: string): DeliveryInput => ({
  subject: `document:letter-${n}`,
  channel: "print",
  customerId: `C000000${n}`,
  at,
});

describe.each([
  ["sqlite", sqliteBackend],
  ["postgres", postgresBackend],
])("archive contract, the outbox: %s", (_name, makeBackend) => {
  const pool = archives(makeBackend());
  afterAll(() => pool.cleanup());

  it("claims a delivery once: pending, times in UTC, a first step; a second claim finds the first", async () => {
    const a = await pool.fresh();
    const first = await a.claimDelivery(claim({ notBefore: "2026-11-03T21:00:00+01:00" }));
    const id = deliveryId({ subject: claim().subject, channel: "email" });
    expect(first).toEqual({
      claimed: true,
      delivery: {
        id,
        subject: claim().subject,
        channel: "email",
        customerId: "C0000001",
        address: "Ada.Lovelace@Example.org",
        documentId: "0123456789abcdef0123456789abcdef",
        notBefore: "2026-11-03T20:00:00.000Z",
        at: "2026-11-03T08:15:00.000Z",
        state: "pending",
        attempts: 0,
        updated: "2026-11-03T08:15:00.000Z",
      },
    });
    const again = await a.claimDelivery(claim({ at: "2026-11-04T10:00:00Z", address: "someone@else.example" }));
    expect(again).toEqual({ claimed: false, delivery: first.delivery });
    expect(await a.delivery(id)).toEqual(first.delivery);
    expect(await a.delivery("0".repeat(32))).toBeUndefined();
    const [listed] = await a.deliveries("C0000001");
    expect(listed.steps).toEqual([{ deliveryId: id, at: "2026-11-03T08:15:00.000Z", state: "pending" }]);
  });

  it("lets one claim win when two workers, each with its own archive, claim on one database at once", async () => {
    const backend = makeBackend();
    const blobs = mkdtempSync(join(tmpdir(), "omnidoc-blobs-"));
    const url = backend.url(blobs);
    const workers: Archive[] = [];
    try {
      for (const r of await Promise.all([openArchive(url), openArchive(url)])) {
        if (!r.ok) throw new Error(r.problems[0].message);
        workers.push(r.value);
      }
      const outcomes = await Promise.all(
        Array.from({ length: 16 }, (_, i) =>
          workers[i % 2].claimDelivery(claim({ at: `2026-11-03T09:15:${10 + i}Z` })),
        ),
      );
      expect(outcomes.filter((o) => o.claimed)).toHaveLength(1);
      const id = outcomes[0].delivery.id;
      const moves = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          workers[i % 2].moveDelivery(id, ["pending"], { state: "sending", at: "2026-11-03T08:16:00Z", attempt: true }),
        ),
      );
      expect(moves.filter(Boolean)).toHaveLength(1);
    } finally {
      for (const w of workers) await w.close();
      await backend.cleanup();
      rmSync(blobs, { recursive: true, force: true });
    }
  });

  it("the same subject on another channel is another delivery", async () => {
    const a = await pool.fresh();
    const email = await a.claimDelivery(claim());
    const sms = await a.claimDelivery(claim({ channel: "sms", address: "+447700900123" }));
    expect(sms.claimed).toBe(true);
    expect(sms.delivery.id).not.toBe(email.delivery.id);
  });

  it("lets exactly one of many concurrent claims win, and gives the others the winner's delivery", async () => {
    const a = await pool.fresh();
    const outcomes = await Promise.all(
      Array.from({ length: 24 }, (_, i) => a.claimDelivery(claim({ at: `2026-11-03T09:15:${10 + i}Z` }))),
    );
    const winners = outcomes.filter((o) => o.claimed);
    expect(winners).toHaveLength(1);
    for (const o of outcomes) expect(o.delivery).toEqual(winners[0].delivery);
    const [listed, ...more] = await a.deliveries("C0000001");
    expect(more).toEqual([]);
    expect(listed.steps).toHaveLength(1);
  });

  it("moves a delivery only from the states named, recording each move as a step in order", async () => {
    const a = await pool.fresh();
    const { delivery } = await a.claimDelivery(claim());
    const id = delivery.id;
    expect(
      await a.moveDelivery(id, ["pending", "deferred"], {
        state: "sending",
        at: "2026-11-03T08:16:00Z",
        attempt: true,
      }),
    ).toBe(true);
    // Another worker that read it pending too comes second: refused, nothing recorded.
    expect(await a.moveDelivery(id, ["pending"], { state: "sending", at: "2026-11-03T08:16:01Z", attempt: true })).toBe(
      false,
    );
    expect(
      await a.moveDelivery(id, ["sending"], {
        state: "deferred",
        at: "2026-11-03T09:16:05+01:00",
        detail: "451 4.7.1 greylisted",
        notBefore: "2026-11-03T08:21:05Z",
      }),
    ).toBe(true);
    expect(
      await a.moveDelivery(id, ["pending", "deferred"], {
        state: "sending",
        at: "2026-11-03T08:21:06Z",
        attempt: true,
      }),
    ).toBe(true);
    expect(
      await a.moveDelivery(id, ["sending"], {
        state: "sent",
        at: "2026-11-03T08:21:07Z",
        gateway: "smtp",
        gatewayId: "<d1@omnidoc.example>",
        detail: "250 2.0.0 queued",
      }),
    ).toBe(true);
    expect(await a.moveDelivery(id, ["sent"], { state: "delivered", at: "2026-11-03T08:25:00Z" })).toBe(true);
    expect(await a.moveDelivery("f".repeat(32), ["pending"], { state: "sending", at: "2026-11-03T08:16:00Z" })).toBe(
      false,
    );

    const moved = await a.delivery(id);
    expect(moved).toMatchObject({
      state: "delivered",
      attempts: 2,
      gateway: "smtp",
      gatewayId: "<d1@omnidoc.example>",
      // The last thing said is kept when a move says nothing.
      detail: "250 2.0.0 queued",
      notBefore: "2026-11-03T08:21:05.000Z",
      at: "2026-11-03T08:15:00.000Z",
      updated: "2026-11-03T08:25:00.000Z",
    });
    const [listed] = await a.deliveries("C0000001");
    expect(listed.steps.map((s) => [s.state, s.at, s.detail])).toEqual([
      ["pending", "2026-11-03T08:15:00.000Z", undefined],
      ["sending", "2026-11-03T08:16:00.000Z", undefined],
      ["deferred", "2026-11-03T08:16:05.000Z", "451 4.7.1 greylisted"],
      ["sending", "2026-11-03T08:21:06.000Z", undefined],
      ["sent", "2026-11-03T08:21:07.000Z", "250 2.0.0 queued"],
      ["delivered", "2026-11-03T08:25:00.000Z", undefined],
    ]);
  });

  it("lets exactly one of many concurrent moves from the same state win, with one step", async () => {
    const a = await pool.fresh();
    const { delivery } = await a.claimDelivery(claim());
    const moves = await Promise.all(
      Array.from({ length: 12 }, () =>
        a.moveDelivery(delivery.id, ["pending"], { state: "sending", at: "2026-11-03T08:16:00Z", attempt: true }),
      ),
    );
    expect(moves.filter(Boolean)).toHaveLength(1);
    expect((await a.delivery(delivery.id))?.attempts).toBe(1);
    expect((await a.deliveries("C0000001"))[0].steps.map((s) => s.state)).toEqual(["pending", "sending"]);
  });

  it("finds a delivery by the id its gateway gave it, and none by another gateway's", async () => {
    const a = await pool.fresh();
    const { delivery } = await a.claimDelivery(claim({ channel: "sms", address: "+447700900123" }));
    await a.claimDelivery(claim({ subject: "event:other", channel: "sms", address: "+447700900123" }));
    await a.moveDelivery(delivery.id, ["pending"], { state: "sending", at: "2026-11-03T08:16:00Z", attempt: true });
    await a.moveDelivery(delivery.id, ["sending"], {
      state: "sent",
      at: "2026-11-03T08:16:01Z",
      gateway: "kannel",
      gatewayId: "sms-77",
    });
    expect(await a.deliveryByGatewayId("kannel", "sms-77")).toMatchObject({ id: delivery.id, state: "sent" });
    expect(await a.deliveryByGatewayId("smtp", "sms-77")).toBeUndefined();
    expect(await a.deliveryByGatewayId("kannel", "sms-78")).toBeUndefined();
  });

  it("queues pending letters oldest first, and no letter that left the queue nor any other channel", async () => {
    const a = await pool.fresh();
    const third = await a.claimDelivery(letter(3, "2026-11-03T10:00:00Z"));
    const first = await a.claimDelivery(letter(1, "2026-11-03T09:00:00+01:00"));
    const second = await a.claimDelivery(letter(2, "2026-11-03T09:30:00Z"));
    const printed = await a.claimDelivery(letter(4, "2026-11-03T07:00:00Z"));
    await a.moveDelivery(printed.delivery.id, ["pending"], {
      state: "sent",
      at: "2026-11-03T07:30:00Z",
      gateway: "print",
    });
    await a.claimDelivery(claim({ at: "2026-11-03T06:00:00Z" }));
    const queue = await a.printQueue();
    expect(queue.map((d) => d.id)).toEqual([first, second, third].map((c) => c.delivery.id));
    expect(queue[0]).not.toHaveProperty("address");
    expect((await a.printQueue({ limit: 2 })).map((d) => d.subject)).toEqual([
      "document:letter-1",
      "document:letter-2",
    ]);
  });

  it("suppresses an email address whatever its case, and keeps the first reason", async () => {
    const a = await pool.fresh();
    await a.suppress({
      channel: "email",
      address: "Ada.Lovelace@Example.org",
      reason: "550 5.1.1 user unknown",
      at: "2026-11-03T09:16:00+01:00",
      deliveryId: "0123456789abcdef0123456789abcdef",
    });
    await a.suppress({
      channel: "email",
      address: "ada.lovelace@example.org",
      reason: "a later bounce",
      at: "2026-11-04T10:00:00Z",
    });
    const expected = {
      channel: "email",
      address: "ada.lovelace@example.org",
      reason: "550 5.1.1 user unknown",
      at: "2026-11-03T08:16:00.000Z",
      deliveryId: "0123456789abcdef0123456789abcdef",
    };
    expect(await a.suppression("email", "ADA.LOVELACE@EXAMPLE.ORG")).toEqual(expected);
    expect(await a.suppression("email", "ada.lovelace@example.org")).toEqual(expected);
    expect(await a.suppression("sms", "ada.lovelace@example.org")).toBeUndefined();
    expect(await a.suppression("email", "grace@example.org")).toBeUndefined();
    await a.suppress({
      channel: "sms",
      address: "+447700900123",
      reason: "number not in service",
      at: "2026-11-03T09:00:00Z",
    });
    expect(await a.suppression("sms", "+447700900123")).toEqual({
      channel: "sms",
      address: "+447700900123",
      reason: "number not in service",
      at: "2026-11-03T09:00:00.000Z",
    });
  });

  it("lists a customer's deliveries newest first, each with its own steps, and no one else's", async () => {
    const a = await pool.fresh();
    const email = await a.claimDelivery(claim({ at: "2026-11-03T08:00:00Z" }));
    await a.moveDelivery(email.delivery.id, ["pending"], {
      state: "bounced",
      at: "2026-11-03T08:05:00Z",
      detail: "550",
    });
    const fallback = await a.claimDelivery({
      subject: claim().subject,
      channel: "print",
      customerId: "C0000001",
      fallbackOf: email.delivery.id,
      at: "2026-11-03T08:06:00Z",
    });
    await a.moveDelivery(email.delivery.id, ["bounced"], { state: "fallen-back", at: "2026-11-03T08:06:00Z" });
    await a.claimDelivery(claim({ customerId: "C0000002", subject: "event:someone-else" }));
    const listed = await a.deliveries("C0000001");
    expect(listed.map((d) => [d.channel, d.state, d.fallbackOf])).toEqual([
      ["print", "pending", email.delivery.id],
      ["email", "fallen-back", undefined],
    ]);
    expect(listed[0].steps.map((s) => s.state)).toEqual(["pending"]);
    expect(listed[1].steps.map((s) => [s.state, s.deliveryId])).toEqual([
      ["pending", email.delivery.id],
      ["bounced", email.delivery.id],
      ["fallen-back", email.delivery.id],
    ]);
    expect(listed[0].id).toBe(fallback.delivery.id);
    expect(await a.deliveries("C0000001", { limit: 1 })).toHaveLength(1);
    expect(await a.deliveries("C0000009")).toEqual([]);
  });

  it("claims an email the customer has no address for, to fail it at once where the timeline shows it", async () => {
    const a: Archive = await pool.fresh();
    const { claimed, delivery } = await a.claimDelivery(claim({ address: undefined }));
    expect(claimed).toBe(true);
    expect(delivery).not.toHaveProperty("address");
  });

  it("refuses what only a bug would hand in", async () => {
    const a: Archive = await pool.fresh();
    await expect(a.claimDelivery(claim({ at: "yesterday" }))).rejects.toThrow(TypeError);
    await expect(a.claimDelivery(claim({ channel: "fax" as "email" }))).rejects.toThrow(TypeError);
    await expect(a.claimDelivery(claim({ address: "" }))).rejects.toThrow(TypeError);
    await expect(a.claimDelivery(claim({ subject: "" }))).rejects.toThrow(TypeError);
    const { delivery } = await a.claimDelivery(claim());
    await expect(a.moveDelivery(delivery.id, [], { state: "sending", at: "2026-11-03T08:16:00Z" })).rejects.toThrow(
      TypeError,
    );
    await expect(
      a.moveDelivery(delivery.id, ["pending"], { state: "lost" as "sent", at: "2026-11-03T08:16:00Z" }),
    ).rejects.toThrow(TypeError);
    await expect(
      a.suppress({ channel: "email", address: "", reason: "x", at: "2026-11-03T08:16:00Z" }),
    ).rejects.toThrow(TypeError);
    expect(await a.delivery(delivery.id)).toEqual(delivery);
  });
});
