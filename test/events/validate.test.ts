import { describe, expect, it } from "vitest";
import { type CustomerEvent, eventInteraction, validateEvents } from "../../src/events/index.ts";
import { validateInteractions } from "../../src/interactions/index.ts";

const EVENT = { id: "bill-77/42", type: "payment.missed", customerId: "C0000001", at: "2026-11-02T09:30:00+01:00" };

/** The problems of a body, as `at: message`. */
function problemsOf(body: unknown): string[] {
  const r = validateEvents(body);
  if (r.ok) throw new Error("expected problems");
  for (const p of r.problems) expect(p.code).toBe("OMD_EVENT_INVALID");
  return r.problems.map((p) => `${p.at}: ${p.message}`);
}

describe("validating events", () => {
  it("takes one event or an array, with its time in UTC and its data at least {}", () => {
    const one = validateEvents(EVENT);
    expect(one).toEqual({ ok: true, value: [{ ...EVENT, at: "2026-11-02T08:30:00.000Z", data: {} }] });
    const two = validateEvents([EVENT, { ...EVENT, id: "dd-1", type: "direct-debit.failed", data: { amount: 42.5 } }]);
    expect(two.ok && two.value.map((e) => [e.type, e.data])).toEqual([
      ["payment.missed", {}],
      ["direct-debit.failed", { amount: 42.5 }],
    ]);
  });

  it.each([
    ["a missing id", { ...EVENT, id: undefined }, ["/0/id", "is required"]],
    ["an empty id", { ...EVENT, id: "" }, ["/0/id", "must NOT have fewer than 1 characters"]],
    [
      "an id over 128 characters",
      { ...EVENT, id: "x".repeat(129) },
      ["/0/id", "is longer than the limit of 128 characters"],
    ],
    [
      "an id with a control character",
      { ...EVENT, id: "a\u0007b" },
      ["/0/id", "holds U+0007 (a control character): remove it"],
    ],
    ["an upper-case type", { ...EVENT, type: "Payment.Missed" }, ["/0/type", "must match pattern"]],
    ["a type of one word", { ...EVENT, type: "payment" }, ["/0/type", "must match pattern"]],
    ["a customer id with a space", { ...EVENT, customerId: "C 1" }, ["/0/customerId", "must match pattern"]],
    ["a time without an offset", { ...EVENT, at: "2026-11-02T09:30:00" }, ["/0/at", "is not a valid date-time"]],
    ["a date alone", { ...EVENT, at: "2026-11-02" }, ["/0/at", "is not a valid date-time"]],
    ["a leap second", { ...EVENT, at: "2016-12-31T23:59:60Z" }, ["/0/at", "is not a date-time omnidoc can keep"]],
    ["data that is a list", { ...EVENT, data: [1] }, ["/0/data", "must be object"]],
    [
      "data over 16 KB",
      { ...EVENT, data: { note: "é".repeat(8200) } },
      ["/0/data", "is 16411 bytes as JSON, more than the limit of 16384"],
    ],
    ["an unknown field", { ...EVENT, amount: 3 }, ["/0/amount", "is not a field this schema knows"]],
  ])("refuses %s at its pointer", (_, bad, [pointer, message]) => {
    const found = problemsOf([EVENT, bad].reverse());
    expect(found).toHaveLength(1);
    expect(found[0].startsWith(`${pointer}: ${pointer} `)).toBe(true);
    expect(found[0]).toContain(message);
  });

  it("names every bad event of an array, and a lone event's fields without an index", () => {
    expect(problemsOf([{ ...EVENT, at: "soon" }, EVENT, { ...EVENT, type: "X" }])).toEqual([
      "/0/at: /0/at is not a valid date-time",
      '/2/type: /2/type must match pattern "^[a-z][a-z0-9]*(-[a-z0-9]+)*(\\.[a-z][a-z0-9]*(-[a-z0-9]+)*)+$"',
    ]);
    expect(problemsOf({ ...EVENT, customerId: undefined })).toEqual(["/customerId: /customerId is required"]);
    expect(problemsOf("payment.missed")).toEqual(["/: / must be object"]);
  });

  it("takes 1 to 1,000 events a body", () => {
    expect(problemsOf([])).toEqual(["/: / must hold 1 to 1000 events"]);
    expect(problemsOf(Array.from({ length: 1001 }, () => EVENT))).toEqual(["/: / must hold 1 to 1000 events"]);
    const full = validateEvents(Array.from({ length: 1000 }, (_, i) => ({ ...EVENT, id: `e${i}` })));
    expect(full.ok && full.value.length).toBe(1000);
  });

  it("keeps data of exactly 16 KB", () => {
    // {"note":"…"} is 11 bytes around the text.
    const r = validateEvents({ ...EVENT, data: { note: "x".repeat(16 * 1024 - 11) } });
    expect(r.ok).toBe(true);
  });
});

describe("the interaction that records an event", () => {
  it("is of source events, its id, channel event and its type as topic, and is a valid interaction", () => {
    const r = validateEvents(EVENT);
    if (!r.ok) throw new Error(r.problems[0].message);
    const event: CustomerEvent = r.value[0];
    const recorded = eventInteraction(event);
    expect(recorded).toEqual({
      customerId: "C0000001",
      source: "events",
      sourceId: "bill-77/42",
      at: "2026-11-02T08:30:00.000Z",
      channel: "event",
      topic: "payment.missed",
    });
    const { customerId: _, ...interaction } = recorded;
    expect(validateInteractions(interaction).ok).toBe(true);
  });
});
