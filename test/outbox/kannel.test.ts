import { type IncomingMessage, createServer } from "node:http";
import { type AddressInfo, createServer as createTcpServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KannelOptions, kannelGateway, parseKannelDlr } from "../../src/outbox/index.ts";
import type { SendOutcome } from "../../src/outbox/index.ts";
import { Kannel, shownText } from "../support/kannel.ts";
import { freePort } from "../support/redis-server.ts";
import { TEST_KEYS, signingKeys } from "../support/signing-keys.ts";

let kannel: Kannel;
/** What Kannel called the delivery-report route with: each request's query. */
const callbacks: URLSearchParams[] = [];
const callbackWaiters: (() => void)[] = [];
const dlrServer = createServer((req: IncomingMessage, res) => {
  callbacks.push(new URL(req.url ?? "/", "http://omnidoc.test").searchParams);
  for (const wake of callbackWaiters.splice(0)) wake();
  res.end("ok");
});
let dlrUrl: string;

beforeAll(async () => {
  kannel = await Kannel.start();
  await new Promise<void>((resolve) => dlrServer.listen(0, "127.0.0.1", resolve));
  dlrUrl = `http://127.0.0.1:${(dlrServer.address() as AddressInfo).port}/dlr/kannel`;
}, 60_000);
afterAll(async () => {
  await kannel?.stop();
  await new Promise((resolve) => dlrServer.close(resolve));
}, 30_000);

function gateway(overrides: Partial<KannelOptions> = {}) {
  return kannelGateway({
    url: kannel.url,
    username: kannel.username,
    password: kannel.password,
    from: "Northwind",
    dlrUrl,
    keys: TEST_KEYS.tracking,
    maxSegments: 3,
    ...overrides,
  });
}

async function callbacksFor(deliveryId: string, count: number): Promise<URLSearchParams[]> {
  const mine = () => callbacks.filter((q) => q.get("delivery") === deliveryId);
  while (mine().length < count) await new Promise<void>((resolve) => callbackWaiters.push(resolve));
  return mine();
}

const failure = (outcome: SendOutcome) => (outcome.ok ? undefined : outcome.failure);

describe("the Kannel gateway", () => {
  it("hands a GSM-7 text to the operator byte for byte, as coding 0", async () => {
    const text = "Northwind Energy: your bill of £42.10 is ready {ref 7} €, pay by 22/12 ~ ^ | [ok]";
    const before = kannel.received.length;
    const sent = await gateway().send({ channel: "sms", deliveryId: "d-gsm", to: "+447700900123", text });
    expect(sent).toEqual({
      ok: true,
      value: { gateway: "kannel", gatewayId: "d-gsm", response: "0: Accepted for delivery" },
    });
    const [got] = (await kannel.receivedCount(before + 1)).slice(before);
    expect(got).toMatchObject({ from: "Northwind", to: "+447700900123", type: "text" });
    expect(got.body.equals(Buffer.from(text, "utf8"))).toBe(true);
  });

  it("sends any other text as UCS-2, and the phone shows it as written", async () => {
    const text = "Zażółć gęślą jaźń: Ωμέγα 42,10 zł";
    const before = kannel.received.length;
    const sent = await gateway().send({ channel: "sms", deliveryId: "d-ucs2", to: "+48501234567", text });
    expect(sent.ok).toBe(true);
    const [got] = (await kannel.receivedCount(before + 1)).slice(before);
    expect(got.type).toBe("ucs-2");
    expect(got.body.equals(Buffer.from(text, "utf16le").swap16())).toBe(true);
    expect(shownText(got)).toBe(text);
  });

  it("refuses a text over the provider's cap before Kannel sees it, and sends one within it in parts", async () => {
    const over = "A".repeat(307); // 3 segments of 153 septets
    const within = "B".repeat(200); // 2 segments
    const before = kannel.received.length;
    const refused = await gateway({ maxSegments: 2 }).send({
      channel: "sms",
      deliveryId: "d-over",
      to: "+447700900111",
      text: over,
    });
    expect(failure(refused)?.permanent).toBe(true);
    expect(failure(refused)?.problem.code).toBe("OMD_SMS_OVER_CAP");
    expect(failure(refused)?.problem.message).toContain("3 segments (307 septets); the provider takes at most 2");
    const sent = await gateway({ maxSegments: 2 }).send({
      channel: "sms",
      deliveryId: "d-within",
      to: "+447700900222",
      text: within,
    });
    expect(sent.ok).toBe(true);
    // Kannel keeps one SMSC's queue in order: had the refused text gone out, it would have come first.
    const got = (await kannel.receivedCount(before + 2)).slice(before);
    expect(got.map((m) => m.to)).toEqual(["+447700900222", "+447700900222"]);
    expect(got.every((m) => m.udh !== undefined)).toBe(true);
    expect(Buffer.concat(got.map((m) => m.body)).toString("utf8")).toBe(within);
  });

  it("takes a wrong password as a permanent failure", async () => {
    const sent = await gateway({ password: "not-the-password" }).send({
      channel: "sms",
      deliveryId: "d-auth",
      to: "+447700900123",
      text: "hello",
    });
    expect(failure(sent)?.permanent).toBe(true);
    expect(failure(sent)?.problem.code).toBe("OMD_SMS_SEND");
    expect(failure(sent)?.problem.message).toContain("Kannel answered 403 Authorization failed");
  });

  it("takes Kannel down as a temporary failure", async () => {
    const sent = await gateway({ url: `http://127.0.0.1:${await freePort()}` }).send({
      channel: "sms",
      deliveryId: "d-down",
      to: "+447700900123",
      text: "hello",
    });
    expect(failure(sent)?.permanent).toBe(false);
    // It never reached Kannel: sending again is safe.
    expect(failure(sent)?.maybeSent).toBe(false);
    expect(failure(sent)?.problem.message).toContain("ECONNREFUSED");
  });

  it("takes a Kannel that never answers as a hand-over that may have happened", async () => {
    const silent = createTcpServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as AddressInfo).port;
    try {
      const sent = await gateway({ url: `http://127.0.0.1:${port}`, timeoutMs: 300 }).send({
        channel: "sms",
        deliveryId: "d-silent",
        to: "+447700900123",
        text: "hello",
      });
      expect(failure(sent)?.permanent).toBe(false);
      // The request went: Kannel may have taken the text, and sending it again could send it twice.
      expect(failure(sent)?.maybeSent).toBe(true);
      expect(failure(sent)?.problem.message).toContain("TimeoutError");
    } finally {
      silent.close();
    }
  });
});

describe("Kannel's delivery reports", () => {
  // An id with what Kannel would take for its own escapes (%A, %d) and what a URL must encode.
  const deliveryId = "sms/cust 42%A%d&x=€";
  let reports: URLSearchParams[];

  beforeAll(async () => {
    const sent = await gateway().send({ channel: "sms", deliveryId, to: "+447700900333", text: "Your bill is ready" });
    if (!sent.ok) throw new Error(sent.failure.problem.message);
    reports = await callbacksFor(deliveryId, 1);
  }, 30_000);

  it("reach omnidoc's route with the delivery and a token, and read as delivered: only reports that change something", async () => {
    const read = reports.map((q) => parseKannelDlr(q, TEST_KEYS.tracking));
    const values = read.map((r) => (r.ok ? r.value : r.problems));
    expect(values).toEqual([
      expect.objectContaining({
        deliveryId,
        gateway: "kannel",
        outcome: "delivered",
        status: "1",
        recipient: "+447700900333",
      }),
    ]);
    // No SMSC-accepted (8) or buffered (4) callback follows.
    await new Promise((r) => setTimeout(r, 500));
    expect(callbacks.filter((q) => q.get("delivery") === deliveryId)).toHaveLength(1);
    for (const r of read) if (r.ok) expect(Date.parse(r.value.at)).toBeGreaterThan(Date.parse("2020-01-01"));
  });

  it("are refused when the token is not over their delivery, or not by a key of the ring", () => {
    const forged = new URLSearchParams(reports[0]);
    forged.set("delivery", "another-delivery");
    const otherRing = signingKeys("other:a-key-that-omnidoc-never-signed-with-0123");
    const unknownStatus = new URLSearchParams(reports[0]);
    unknownStatus.set("status", "3");
    for (const [query, keys] of [
      [forged, TEST_KEYS.tracking],
      [reports[0], otherRing],
      [unknownStatus, TEST_KEYS.tracking],
    ] as const) {
      const r = parseKannelDlr(query, keys);
      expect(r.ok ? r.value : r.problems[0].code).toBe("OMD_SMS_DLR_INVALID");
    }
  });
});
