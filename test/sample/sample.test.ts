import { afterEach, describe, expect, it, vi } from "vitest";
import { LOCALES, type Profile, parseProfileLine } from "../../src/profile/index.ts";
import { SAMPLE_LOCALES, customerId, sampleLines } from "../../src/sample/index.ts";

const COUNT = 1000;
const profiles: Profile[] = [...sampleLines({ count: COUNT })].map((line, i) => {
  const r = parseProfileLine(line, i + 1);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value;
});
const share = (pick: (p: Profile) => boolean) => profiles.filter(pick).length / COUNT;
const cents = (x: number) => Math.round(x * 100);

describe("the reference extract", () => {
  it("is made of valid profiles, numbered in order, for exactly the locales the engine formats", () => {
    expect(profiles).toHaveLength(COUNT);
    expect(profiles.map((p) => p.id)).toEqual(Array.from({ length: COUNT }, (_, i) => customerId(i + 1)));
    expect([...SAMPLE_LOCALES].sort()).toEqual([...LOCALES].sort());
  });

  it("gives each locale its currency, language and country", () => {
    const seen = new Set(
      profiles.map((p) => `${p.locale} ${p.currency} ${p.preferences.language} ${p.contact.address.country}`),
    );
    expect([...seen].sort()).toEqual(["de-DE EUR de DE", "en-GB GBP en GB", "en-IE EUR en IE", "fr-FR EUR fr FR"]);
    expect(share((p) => p.locale === "en-GB")).toBeGreaterThan(0.4);
    for (const locale of ["en-IE", "fr-FR", "de-DE"]) expect(share((p) => p.locale === locale)).toBeGreaterThan(0.1);
  });

  it("has every segment, customers in credit, in arrears and on Direct Debit", () => {
    expect(share((p) => p.segment === "residential")).toBeGreaterThan(0.6);
    expect(share((p) => p.segment === "small-business")).toBeGreaterThan(0.08);
    expect(share((p) => p.segment === "vulnerable")).toBeGreaterThan(0.06);
    expect(share((p) => p.account.balanceDue < 0)).toBeGreaterThan(0.06);
    expect(share((p) => p.account.inArrears)).toBeGreaterThan(0.05);
    expect(share((p) => p.account.directDebit)).toBeGreaterThan(0.3);
    // A customer in arrears is not collected by Direct Debit: the debit failed or was never set up.
    expect(profiles.filter((p) => p.account.inArrears && p.account.directDebit)).toEqual([]);
  });

  it("has about 5% long statements of 25 to 60 itemised lines beyond the usual few", () => {
    const lines = profiles.map((p) => p.account.charges.length);
    const long = lines.filter((n) => n >= 25);
    expect(long.length / COUNT).toBeGreaterThan(0.03);
    expect(long.length / COUNT).toBeLessThan(0.07);
    expect(Math.max(...lines)).toBeLessThanOrEqual(60 + 8);
    expect(lines.filter((n) => n > 8 && n < 25)).toEqual([]);
  });

  it("adds up: each amount is quantity times rate, and the balance reconciles to the cent", () => {
    for (const { id, account: a } of profiles) {
      for (const c of a.charges) expect(cents(c.amount), id).toBe(Math.round(c.quantity * c.rate * 100));
      expect(cents(a.subtotal), id).toBe(a.charges.reduce((s, c) => s + cents(c.amount), 0));
      expect(cents(a.balanceDue), id).toBe(
        cents(a.previousBalance) - cents(a.paymentsReceived) + cents(a.subtotal) + cents(a.vat),
      );
    }
  });

  it("has twelve months of usage ending with the billed month, some of them zero", () => {
    for (const p of profiles) {
      expect(p.usage.monthly.map((m) => m.month).at(-1)).toBe(p.account.periodEnd.slice(0, 7));
      expect(p.usage.monthly).toHaveLength(12);
      expect(p.usage.daily).toHaveLength(31);
    }
    expect(share((p) => p.usage.monthly.some((m) => m.value === 0))).toBeGreaterThan(0.1);
  });

  it("has customers without email, without mobile, and with neither", () => {
    expect(share((p) => !p.contact.email)).toBeGreaterThan(0.05);
    expect(share((p) => !p.contact.mobile)).toBeGreaterThan(0.1);
    expect(share((p) => !p.contact.email && !p.contact.mobile)).toBeGreaterThan(0);
    expect(profiles.filter((p) => p.preferences.channels.includes("email") && !p.contact.email)).toEqual([]);
    expect(profiles.filter((p) => p.preferences.channels.includes("sms") && !p.contact.mobile)).toEqual([]);
  });

  it("has recent interactions, complaints among them, some within the last 30 days", () => {
    const complaints = profiles.flatMap((p) => p.interactions.filter((i) => i.topic === "complaint"));
    expect(complaints.length).toBeGreaterThan(COUNT / 20);
    expect(complaints.some((i) => i.date >= "2026-10-02")).toBe(true);
    expect(new Set(profiles.flatMap((p) => p.interactions.map((i) => i.channel))).size).toBeGreaterThan(5);
  });

  it("names customers in every script and letter set the fonts must carry", () => {
    const names = profiles.map((p) => `${p.name.first} ${p.name.last}`);
    const scripts = {
      greek: /\p{Script=Greek}/u,
      cyrillic: /\p{Script=Cyrillic}/u,
      vietnamese: /[\u1EA0-\u1EF9ơưđĐ]/u,
      polish: /[ąęłńśźżŁŚŻ]/u,
      irish: /(^| )(Ó|Ní|Nic|Mac) \p{Lu}/u,
      nordic: /[æøåÆØÅðþÞ]/u,
    };
    for (const [script, re] of Object.entries(scripts))
      expect(names.filter((n) => re.test(n)).length, script).toBeGreaterThan(COUNT / 50);
  });

  it("has addresses with a line of 80 characters or more", () => {
    expect(share((p) => p.contact.address.lines.some((l) => l.length >= 80))).toBeGreaterThan(0.02);
  });
});

describe("the extract's determinism", () => {
  afterEach(() => vi.restoreAllMocks());

  const text = (...args: Parameters<typeof sampleLines>) => [...sampleLines(...args)].join("\n");

  it("gives the same bytes for the same arguments, other bytes for another seed", () => {
    expect(text({ count: 300, seed: 5, badEvery: 9 })).toBe(text({ count: 300, seed: 5, badEvery: 9 }));
    expect(text({ count: 300, seed: 6, badEvery: 9 })).not.toBe(text({ count: 300, seed: 5, badEvery: 9 }));
    expect(text({ count: 300 })).toBe(text({ count: 300, seed: 42 }));
  });

  it("makes each customer the same whatever the count", () => {
    expect([...sampleLines({ count: 50, seed: 3 })]).toEqual([...sampleLines({ count: 500, seed: 3 })].slice(0, 50));
  });

  it("reads neither the clock nor Math.random", () => {
    const expected = text({ count: 200, badEvery: 7 });
    vi.spyOn(Math, "random").mockImplementation(() => {
      throw new Error("Math.random called");
    });
    vi.spyOn(Date, "now").mockImplementation(() => {
      throw new Error("Date.now called");
    });
    expect(text({ count: 200, badEvery: 7 })).toBe(expected);
  });

  it("keeps to the locales asked for", () => {
    const only = [...sampleLines({ count: 200, locales: ["fr-FR", "en-IE"] })].map((l) => JSON.parse(l).locale);
    expect(new Set(only)).toEqual(new Set(["fr-FR", "en-IE"]));
    expect(() => [...sampleLines({ count: 1, locales: [] })]).toThrow(RangeError);
  });

  it("is lazy: the first line of a million is made alone", () => {
    const stringify = vi.spyOn(JSON, "stringify");
    const first = sampleLines({ count: 1_000_000 }).next().value;
    expect(stringify).toHaveBeenCalledTimes(1);
    expect(JSON.parse(first ?? "").id).toBe("C0000001");
  });
});
