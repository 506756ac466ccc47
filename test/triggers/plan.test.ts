import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CustomerHistory, type HistoryInteraction, NO_HISTORY, type Trigger } from "../../src/decide/index.ts";
import { type CustomerEvent, eventInteraction } from "../../src/events/index.ts";
import type { Profile } from "../../src/profile/index.ts";
import { customerZone, nextFallback, planTrigger } from "../../src/triggers/index.ts";
import { customer } from "../decide/fixtures.ts";

const TRIGGER: Trigger = {
  event: "payment.missed",
  template: "payment-reminder",
  channels: ["sms", "email"],
  fallback: ["print"],
  dedupeHours: 72,
  quietHours: { from: "21:00", to: "08:00", channels: ["sms"] },
  at: "catalogue.yaml:3:5",
};

const EVENT: CustomerEvent = {
  id: "pay-1",
  type: "payment.missed",
  customerId: "C9000001",
  at: "2026-12-01T02:55:00.000Z",
  data: {},
};

/** A customer in Britain who has a mobile and an email address and takes every channel. */
const british = (edit: (p: Profile) => void = () => {}) =>
  customer((p) => {
    p.contact.address.country = "GB";
    p.contact.mobile = "+447700900123";
    p.contact.email = "ada@example.com";
    edit(p);
  });

/** A history holding these earlier events of the customer. */
const historyOf = (...events: CustomerEvent[]): CustomerHistory => ({
  ...NO_HISTORY,
  interactions: events.map((e): HistoryInteraction => {
    const { customerId: _, ...interaction } = eventInteraction(e);
    return interaction;
  }),
});

const plan = (profile: Profile, now: string, history = NO_HISTORY, trigger = TRIGGER, zone = "Europe/London") =>
  planTrigger(trigger, EVENT, profile, history, new Date(now), zone);

describe("planning a trigger", () => {
  it("sends email now and holds the text a customer would get at 03:00 until 08:00", () => {
    expect(plan(british(), "2026-12-01T03:00:00Z")).toEqual({
      action: "send",
      zone: { zone: "Europe/London", from: "country" },
      sends: [
        {
          channel: "sms",
          address: "+447700900123",
          notBefore: "2026-12-01T08:00:00.000Z",
          reason: "quiet hours 21:00–08:00 in Europe/London (the country's zone): waits until 08:00",
        },
        { channel: "email", address: "ada@example.com", notBefore: "2026-12-01T03:00:00.000Z", reason: "now" },
      ],
      unreachable: [],
    });
  });

  it("holds a text at 22:00 until 08:00 the next day, and sends one at noon now", () => {
    const late = plan(british(), "2026-12-01T22:00:00Z");
    expect(late.action === "send" && late.sends[0].notBefore).toBe("2026-12-02T08:00:00.000Z");
    const noon = plan(british(), "2026-12-01T12:00:00Z");
    expect(noon.action === "send" && noon.sends[0]).toMatchObject({
      notBefore: "2026-12-01T12:00:00.000Z",
      reason: "now",
    });
  });

  it("reads the night on the customer's own clock: their preference, else their country's, else the catalogue's", () => {
    const at3 = "2026-12-01T02:00:00Z"; // 03:00 in Paris, 02:00 in London, 21:00 in New York
    const inParis = british((p) => {
      p.contact.address.country = "FR";
    });
    const paris = plan(inParis, at3);
    expect(paris.action === "send" && [paris.zone, paris.sends[0].notBefore]).toEqual([
      { zone: "Europe/Paris", from: "country" },
      "2026-12-01T07:00:00.000Z",
    ]);
    const abroad = british((p) => {
      p.preferences.timeZone = "America/New_York";
    });
    const ny = plan(abroad, "2026-12-01T01:00:00Z"); // 20:00 in New York: not quiet
    expect(ny.action === "send" && [ny.zone, ny.sends[0].notBefore]).toEqual([
      { zone: "America/New_York", from: "profile" },
      "2026-12-01T01:00:00.000Z",
    ]);
    // Germany lists two zones (Berlin and Büsingen's): the catalogue's zone decides.
    const inGermany = british((p) => {
      p.contact.address.country = "DE";
    });
    const de = plan(inGermany, at3, NO_HISTORY, TRIGGER, "Europe/Berlin");
    expect(de.action === "send" && [de.zone, de.sends[0].notBefore]).toEqual([
      { zone: "Europe/Berlin", from: "catalogue" },
      "2026-12-01T07:00:00.000Z",
    ]);
    expect(customerZone(inGermany, "Europe/London")).toEqual({ zone: "Europe/London", from: "catalogue" });
  });

  it.each([
    ["22:00 BST the night the clocks go back", "2026-10-24T21:00:00Z", "2026-10-25T08:00:00.000Z"],
    ["03:00 GMT the morning after", "2026-10-25T03:00:00Z", "2026-10-25T08:00:00.000Z"],
    ["22:00 GMT the night the clocks go forward", "2027-03-27T22:00:00Z", "2027-03-28T07:00:00.000Z"],
    ["03:00 BST the morning after", "2027-03-28T02:00:00Z", "2027-03-28T07:00:00.000Z"],
  ])("holds a text sent at %s until 08:00 local", (_, now, expected) => {
    const p = plan(british(), now);
    expect(p.action === "send" && p.sends[0].notBefore).toBe(expected);
  });

  it("names each channel that cannot reach the customer, and why", () => {
    const noMobile = british((p) => {
      p.contact.mobile = undefined;
    });
    expect(plan(noMobile, "2026-12-01T12:00:00Z")).toMatchObject({
      sends: [{ channel: "email" }],
      unreachable: [{ channel: "sms", reason: "the customer has no mobile number" }],
    });
    const noEmail = british((p) => {
      p.contact.email = undefined;
      p.preferences.channels = ["print", "email"];
    });
    expect(plan(noEmail, "2026-12-01T12:00:00Z")).toMatchObject({
      sends: [],
      unreachable: [
        { channel: "sms", reason: "the customer's preferences leave out sms" },
        { channel: "email", reason: "the customer has no email address" },
      ],
    });
  });

  it("starts nothing for an event of the type less than the dedupe window after another", () => {
    const earlier = { ...EVENT, id: "pay-0", at: "2026-11-28T03:00:00.000Z" }; // 71 h 55 before
    expect(plan(british(), "2026-12-01T03:00:00Z", historyOf(earlier))).toEqual({
      action: "skip",
      reason: "another payment.missed event (pay-0, 2026-11-28T03:00:00.000Z) is less than 72 h from this one",
      duplicateOf: { id: "pay-0", at: "2026-11-28T03:00:00.000Z" },
    });
  });

  it("of events posted together, acts on the first only: the earliest, then the smallest id", () => {
    // Both are recorded before either is acted on: each sees the other in its history.
    const first = { ...EVENT, id: "pay-1", at: "2026-12-01T03:00:00.000Z" };
    const second = { ...EVENT, id: "pay-2", at: "2026-12-01T04:00:00.000Z" };
    const both = historyOf(first, second);
    const now = new Date("2026-12-01T12:00:00Z");
    expect(planTrigger(TRIGGER, first, british(), both, now, "UTC").action).toBe("send");
    expect(planTrigger(TRIGGER, second, british(), both, now, "UTC").action).toBe("skip");
    const twin = { ...first, id: "pay-0" };
    const twins = historyOf(first, twin);
    expect(planTrigger(TRIGGER, twin, british(), twins, now, "UTC").action).toBe("send");
    expect(planTrigger(TRIGGER, first, british(), twins, now, "UTC").action).toBe("skip");
  });

  it("acts on an event when the others are older, of another type, its own record, or dedupe is 0", () => {
    const now = "2026-12-01T12:00:00Z";
    const old = { ...EVENT, id: "pay-0", at: "2026-11-28T02:55:00.000Z" }; // 72 h exactly
    const other = { ...EVENT, id: "dd-1", type: "direct-debit.failed" };
    const itself = EVENT; // a retry: recorded before the trigger ran
    const later = { ...EVENT, id: "pay-9", at: "2026-12-02T03:00:00.000Z" }; // after it: that one is the repeat
    expect(plan(british(), now, historyOf(later, old, other, itself)).action).toBe("send");
    const recent = { ...EVENT, id: "pay-0", at: "2026-12-01T01:00:00.000Z" };
    expect(plan(british(), now, historyOf(recent), { ...TRIGGER, dedupeHours: 0 }).action).toBe("send");
    // Interactions of other sources with the same topic are not events.
    const chat: CustomerHistory = {
      ...NO_HISTORY,
      interactions: [{ at: EVENT.at, source: "chat", sourceId: "c1", channel: "chat", topic: "payment.missed" }],
    };
    expect(plan(british(), now, chat).action).toBe("send");
  });

  it("refuses to plan another event type or customer: a bug of the caller", () => {
    expect(() =>
      planTrigger(TRIGGER, { ...EVENT, type: "direct-debit.failed" }, british(), NO_HISTORY, new Date(), "UTC"),
    ).toThrow();
    expect(() =>
      planTrigger(TRIGGER, { ...EVENT, customerId: "C1" }, british(), NO_HISTORY, new Date(), "UTC"),
    ).toThrow();
  });

  it("never sends a quiet channel inside quiet hours nor before now, for any customer zone and time", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2028, 11, 31) }),
        fc.constantFrom("GB", "FR", "IE", "DE"),
        fc.option(fc.constantFrom("Europe/Lisbon", "Asia/Tokyo", "America/Los_Angeles"), { nil: undefined }),
        (now, country, own) => {
          const profile = british((p) => {
            p.contact.address.country = country;
            if (own) p.preferences.timeZone = own;
          });
          const p = planTrigger(TRIGGER, EVENT, profile, NO_HISTORY, new Date(now), "Europe/Berlin");
          if (p.action !== "send") throw new Error("planned nothing");
          const sms = p.sends.find((s) => s.channel === "sms");
          const at = Date.parse(sms?.notBefore ?? "");
          expect(at).toBeGreaterThanOrEqual(now);
          const hour = Number(
            new Intl.DateTimeFormat("en-GB", { timeZone: p.zone.zone, hour: "numeric", hourCycle: "h23" }).format(at),
          );
          expect(hour >= 8 && hour < 21).toBe(true);
          expect(p.sends.find((s) => s.channel === "email")?.notBefore).toBe(new Date(now).toISOString());
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("the next fallback", () => {
  const trigger: Trigger = { ...TRIGGER, channels: ["sms"], fallback: ["email", "print"] };

  it("is the first fallback not yet tried that the customer can receive", () => {
    expect(nextFallback(trigger, british(), ["sms"])).toBe("email");
    expect(nextFallback(trigger, british(), ["sms", "email"])).toBe("print");
    expect(nextFallback(trigger, british(), ["sms", "email", "print"])).toBeUndefined();
  });

  it("passes over a channel the customer cannot receive", () => {
    const noEmail = british((p) => {
      p.contact.email = undefined;
    });
    expect(nextFallback(trigger, noEmail, ["sms"])).toBe("print");
    const paperless = british((p) => {
      p.contact.email = undefined;
      p.preferences.channels = ["sms", "email"];
    });
    expect(nextFallback(trigger, paperless, ["sms"])).toBeUndefined();
  });
});
