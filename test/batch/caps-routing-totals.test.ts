import { describe, expect, it } from "vitest";
import { CapLedger } from "../../src/batch/caps.ts";
import { parseChannelSelection, route } from "../../src/batch/routing.ts";
import { RunTotals, fromMinor, toMinor } from "../../src/batch/totals.ts";
import type { ManifestEntry } from "../../src/batch/types.ts";
import type { Profile } from "../../src/profile/index.ts";

describe("cap ledger", () => {
  it("caps an item once it has been chosen as often as its cap, and counts who it was refused to", () => {
    const ledger = new CapLedger({
      items: [{ id: "boiler", cap: 2 }, { id: "free" }, { id: "none", cap: 0 }] as never,
    });
    expect([...ledger.capped]).toEqual(["none"]);
    ledger.count(["boiler", "free"], []);
    expect(ledger.capped.has("boiler")).toBe(false);
    ledger.count(["boiler"], []);
    expect(ledger.capped.has("boiler")).toBe(true);
    ledger.count(["free"], ["boiler"]);
    expect(ledger.report()).toEqual({ boiler: { cap: 2, used: 2, refused: 1 }, none: { cap: 0, used: 0, refused: 0 } });
  });
});

describe("routing", () => {
  const profile = (channels: string[]) => ({ preferences: { channels } }) as unknown as Profile;

  it("follows preferences: print is the PDF for the print house", () => {
    expect(route(profile(["print", "sms"]), "preferred")).toEqual({ channels: ["pdf", "sms"], print: true });
    expect(route(profile(["email"]), "preferred")).toEqual({ channels: ["email"], print: false });
  });

  it("sends paper to a customer with no channel preference", () => {
    expect(route(profile([]), "preferred")).toEqual({ channels: ["pdf"], print: true });
  });

  it("renders every channel with all, and only the listed ones with a list; print only for paper customers", () => {
    expect(route(profile(["email"]), "all")).toEqual({ channels: ["pdf", "email", "sms"], print: false });
    expect(route(profile(["print"]), "all").print).toBe(true);
    expect(route(profile(["print"]), ["email"])).toEqual({ channels: ["email"], print: false });
  });

  it("parses the --channels option", () => {
    expect(parseChannelSelection("all")).toBe("all");
    expect(parseChannelSelection("sms, pdf")).toEqual(["pdf", "sms"]);
    expect(parseChannelSelection("pdf,fax")).toBeUndefined();
  });
});

describe("control totals", () => {
  const composed = (n: number, currency: string, amount: number): ManifestEntry => ({
    record: n,
    line: n,
    source: "-",
    id: `C${n}`,
    status: "composed",
    channels: ["pdf", "sms"],
    print: true,
    currency,
    balanceDueMinor: toMinor(amount, currency),
    files: [],
    pages: 2,
    offers: ["a", "b"],
    capped: [],
    problems: [{ code: "OMD_EMAIL_NO_ADDRESS", channel: "email", reason: "no address" }],
  });

  const notJson = (n: number): ManifestEntry => ({
    ...composed(n, "EUR", 0),
    currency: undefined,
    balanceDueMinor: undefined,
    status: "rejected",
    problems: [{ code: "OMD_INPUT_NOT_JSON", reason: "x" }],
  });
  /** The extract's side of the records `composed` makes: their currency and balance as read. */
  const readAs = (currency: string, amount: number) => ({ currency, balanceDueMinor: toMinor(amount, currency) });

  it("reconcile: read = composed + rejected, money added exactly in minor units per currency", () => {
    const t = new RunTotals();
    // 0.1 + 0.2 in floating point is not 0.3; in pence it is.
    t.add(composed(1, "GBP", 0.1));
    t.add(composed(2, "GBP", 0.2));
    t.add(composed(3, "EUR", -12.5));
    t.add(notJson(4));
    for (const [c, a] of [
      ["GBP", 0.1],
      ["GBP", 0.2],
      ["EUR", -12.5],
    ] as const)
      t.readRecord(readAs(c, a));
    t.readRecord(undefined);
    const s = t.totals();
    expect(s.records).toEqual({ read: 4, composed: 3, skipped: 0, rejected: 1 });
    expect(s.reconciles).toBe(true);
    expect(s.control).toEqual({
      extract: { records: 4, balanceDue: { EUR: "-12.50", GBP: "0.30" } },
      journal: { records: 4, balanceDue: { EUR: "-12.50", GBP: "0.30" } },
    });
    expect(s.balanceDue).toEqual({ EUR: "-12.50", GBP: "0.30" });
    expect(s.documents).toEqual({ pdf: 3, email: 0, sms: 3 });
    expect(s.print).toEqual({ statements: 3, pages: 6 });
    expect(s.offers).toEqual({ a: 3, b: 3 });
    expect(s.rejectsByCode).toEqual({ OMD_INPUT_NOT_JSON: 1 });
    expect(s.channelProblemsByCode).toEqual({ OMD_EMAIL_NO_ADDRESS: 3 });
  });

  it("does not reconcile when the journal's balances or records differ from the extract's as read", () => {
    const oneDigitOff = new RunTotals();
    oneDigitOff.readRecord(readAs("GBP", 120.5));
    oneDigitOff.add(composed(1, "GBP", 920.5));
    expect(oneDigitOff.totals().reconciles).toBe(false);
    expect(oneDigitOff.totals().control.journal.balanceDue).toEqual({ GBP: "920.50" });
    const entryLost = new RunTotals();
    entryLost.readRecord(readAs("GBP", 1));
    entryLost.readRecord(undefined);
    entryLost.add(composed(1, "GBP", 1));
    expect(entryLost.totals().reconciles).toBe(false);
  });

  it("writes minor units back as exact decimals", () => {
    expect(fromMinor(5, "GBP")).toBe("0.05");
    expect(fromMinor(-123456, "EUR")).toBe("-1234.56");
    // 19.99 * 100 is 1998.9999999999998 in floating point.
    expect(toMinor(19.99, "GBP")).toBe(1999);
  });
});
