import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseQueueUrl } from "../../src/queue/index.ts";
import { deliveryToken } from "../../src/view/index.ts";
import { RedisServer } from "../support/redis-server.ts";
import { TEST_KEYS } from "../support/signing-keys.ts";
import { KEYS, type Running, call, startServer } from "./support.ts";

/** `POST /v1/events` and the SMS gateway's callback, as a caller meets them, right or wrong. */

const EVENT = { id: "EVT-API-1", type: "payment.missed", customerId: "C0091001", at: "2026-11-03T09:15:00+01:00" };

describe("events on a server started without an event queue", () => {
  let server: Running;
  beforeAll(async () => {
    server = await startServer();
  }, 60_000);
  afterAll(() => server?.close());

  it("answers 503 and records nothing", async () => {
    const r = await call(server.base, "/v1/events", { key: KEYS.events, body: EVENT });
    expect(r.status).toBe(503);
    expect((await r.json()).problems[0].code).toBe("OMD_EVENTS_UNAVAILABLE");
    expect(await server.archive.interactions(EVENT.customerId)).toEqual([]);
  });

  it("has no delivery-report route", async () => {
    expect((await call(server.base, "/dlr/kannel?delivery=x&t=y&status=1&at=1")).status).toBe(404);
  });
});

describe("events on a server with an event queue", () => {
  let redis: RedisServer;
  let server: Running;
  beforeAll(async () => {
    redis = await RedisServer.start();
    server = await startServer({
      reactions: {
        queue: parseQueueUrl(redis.url()),
        name: "events-api-test",
        gateways: {},
        reportKeys: TEST_KEYS.tracking,
      },
    });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await redis?.stop();
  });

  it("takes events only from a key with events:write", async () => {
    expect((await call(server.base, "/v1/events", { body: EVENT })).status).toBe(401);
    const r = await call(server.base, "/v1/events", { key: KEYS.render, body: EVENT });
    expect(r.status).toBe(403);
  });

  it("refuses a body with any bad event, naming each at its pointer, and records none", async () => {
    const r = await call(server.base, "/v1/events", {
      key: KEYS.events,
      body: [
        { ...EVENT, id: "EVT-API-OK" },
        { ...EVENT, id: "EVT-API-BAD", type: "PaymentMissed", at: "yesterday" },
      ],
    });
    expect(r.status).toBe(400);
    const at = (await r.json()).problems.map((p: { code: string; at: string }) => `${p.code} ${p.at}`);
    expect(at).toContain("OMD_EVENT_INVALID /1/type");
    expect(at.every((a: string) => a.startsWith("OMD_EVENT_INVALID /1/"))).toBe(true);
    expect(await server.archive.interactions(EVENT.customerId)).toEqual([]);
  });

  it("records an event as the customer's interaction once, however often it is posted", async () => {
    const first = await call(server.base, "/v1/events", { key: KEYS.events, body: EVENT });
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ accepted: 1, existing: 0, events: [{ id: EVENT.id, status: "accepted" }] });
    const again = await call(server.base, "/v1/events", { key: KEYS.events, body: [EVENT] });
    expect(await again.json()).toEqual({ accepted: 0, existing: 1, events: [{ id: EVENT.id, status: "existing" }] });
    expect(await server.archive.interactions(EVENT.customerId)).toEqual([
      {
        customerId: EVENT.customerId,
        source: "events",
        sourceId: EVENT.id,
        at: "2026-11-03T08:15:00.000Z",
        channel: "event",
        topic: "payment.missed",
      },
    ]);
    // A customer the archive has no profile for gets no message: nothing to send it with.
    await new Promise((r) => setTimeout(r, 500));
    expect(await server.archive.deliveries(EVENT.customerId)).toEqual([]);
  });

  it("takes a delivery report only with a token this side made, and says when it names no delivery", async () => {
    const forged = await call(
      server.base,
      "/dlr/kannel?delivery=d-1&t=k.AAAAAAAAAAAAAAAAAAAAAA&status=1&at=1796500000",
    );
    expect(forged.status).toBe(400);
    expect((await forged.json()).problems[0].code).toBe("OMD_SMS_DLR_INVALID");
    const t = deliveryToken("d-unknown", TEST_KEYS.tracking.signing);
    const unknown = await call(server.base, `/dlr/kannel?delivery=d-unknown&t=${t}&status=1&at=1796500000`);
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).problems[0].code).toBe("OMD_DELIVERY_UNKNOWN");
  });
});
