import { afterAll, describe, expect, it } from "vitest";
import type { Archive } from "../../src/archive/index.ts";
import type { Gateway, OutgoingSms, SendOutcome } from "../../src/outbox/index.ts";
import { Reactor } from "../../src/realtime/index.ts";
import { archives, sqliteBackend } from "../archive/backends.ts";

/**
 * Kannel can call the delivery report URL before its answer to `sendsms` has reached the sender, so a report
 * may find the delivery still `sending`. It must count all the same.
 */

const AT = "2026-11-04T08:00:00.000Z";
const pool = archives(sqliteBackend());
afterAll(() => pool.cleanup());

/** A gateway that takes the text at once but answers only when the test lets it. */
function slowGateway() {
  let answer: (outcome: SendOutcome) => void = () => {};
  let taken: () => void = () => {};
  const handedOver = new Promise<void>((resolve) => {
    taken = resolve;
  });
  const gateway: Gateway<OutgoingSms> = {
    name: "kannel",
    channel: "sms",
    send: (m) =>
      new Promise<SendOutcome>((resolve) => {
        answer = resolve;
        taken();
      }).then((o) => (o.ok ? { ok: true, value: { ...o.value, gatewayId: m.deliveryId } } : o)),
    close: async () => {},
  };
  return { gateway, handedOver, answer: (o: SendOutcome) => answer(o) };
}

async function pendingText(archive: Archive) {
  const text = await archive.record({
    customerId: "C0090003",
    template: "payment-reminder",
    templateVersion: "1.0.0",
    channel: "sms",
    runId: "event-EVT-1",
    created: AT,
    offerIds: [],
    contentType: "application/json",
    bytes: new TextEncoder().encode(JSON.stringify({ text: "Your payment is overdue." })),
  });
  const { delivery } = await archive.claimDelivery({
    subject: "event:payment.missed:payment-reminder:EVT-1",
    channel: "sms",
    customerId: "C0090003",
    address: "+447700990003",
    documentId: text.id,
    at: AT,
  });
  return delivery;
}

describe("a delivery report that overtakes the gateway's answer to the hand-over", () => {
  it.each([
    ["delivered", "delivered"],
    ["failed", "failed"],
  ] as const)("still moves the text on: %s", async (outcome, state) => {
    const archive = await pool.fresh();
    const sms = slowGateway();
    const reactor = new Reactor({
      archive,
      catalogue: { triggers: [], timeZone: "Europe/London" },
      compose: async () => {
        throw new Error("nothing is composed here");
      },
      gateways: { sms: sms.gateway },
      later: async () => {},
      now: () => new Date(AT),
      log: () => {},
    });
    const delivery = await pendingText(archive);
    const delivering = reactor.deliver(delivery.id);
    await sms.handedOver;
    expect((await archive.delivery(delivery.id))?.state).toBe("sending");

    const reported = await reactor.report({
      deliveryId: delivery.id,
      gateway: "kannel",
      outcome,
      at: AT,
      status: outcome === "delivered" ? "1" : "2",
      detail: outcome === "delivered" ? "delivered to the phone" : "not delivered to the phone",
    });
    expect(reported?.state).toBe(state);

    sms.answer({ ok: true, value: { gateway: "kannel", gatewayId: "", response: "0: Accepted for delivery" } });
    const after = await delivering;
    expect(after?.state, "the late answer to the hand-over does not undo the report").toBe(state);
    const [listed] = await archive.deliveries("C0090003");
    expect(listed.steps.map((s) => s.state)).toEqual(["pending", "sending", "sent", state]);
    expect(listed.gateway).toBe("kannel");
  });
});
