import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { RunTotals, fromMinor, toMinor } from "../../src/batch/totals.ts";
import type { ManifestEntry } from "../../src/batch/types.ts";
import { CURRENCIES, LIMITS, compileCsvHeader, parseProfileCsvRow, parseProfileLine } from "../../src/profile/index.ts";
import { profilesToCsv } from "../support/csv.ts";
import { generateLines } from "../support/customers.ts";

const customer = JSON.parse(generateLines(1)[0]);

/** The customer's line with one field's JSON number written as the extract wrote it (`1e308`, `0.001`). */
function lineWith(pointer: string, number: string): string {
  const marker = "__NUMBER__";
  const p = structuredClone(customer);
  const path = pointer.split("/").slice(1);
  let node = p;
  for (const key of path.slice(0, -1)) node = node[key];
  node[path[path.length - 1]] = marker;
  return JSON.stringify(p).replace(`"${marker}"`, number);
}

/** The same customer as a CSV row, the field's cell written as given. */
function csvWith(pointer: string, cell: string) {
  const [head, row] = parse(profilesToCsv([customer])) as string[][];
  const at = head.indexOf(pointer.slice(1).replaceAll("/", "."));
  expect(at).toBeGreaterThanOrEqual(0);
  const cells = row.with(at, cell);
  const h = compileCsvHeader(head);
  if (!h.ok) throw new Error(h.problems[0].message);
  return parseProfileCsvRow(h.value, cells, 2);
}

describe("money in the profile schema: bounded in size and in decimal places", () => {
  const cases: [string, string, RegExp][] = [
    ["/account/balanceDue", "1e308", /is out of range: it must be < 10000000000000/],
    ["/account/balanceDue", "-1e16", /is out of range: it must be > -10000000000000/],
    ["/account/balanceDue", "1e16", /is out of range/],
    ["/account/balanceDue", "0.001", /has more than 2 decimal places/],
    ["/account/subtotal", "0.30000000000000004", /has more than 2 decimal places/],
    ["/account/charges/0/amount", "1e-7", /has more than 2 decimal places/],
    ["/account/charges/0/rate", "0.00000001", /has more than 6 decimal places/],
    ["/account/charges/0/quantity", "1e13", /is out of range/],
  ];

  it.each(cases)("refuses %s = %s from NDJSON, naming the field and the rule", (pointer, number, reason) => {
    const r = parseProfileLine(lineWith(pointer, number), 7);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems[0].code).toBe("OMD_PROFILE_FIELD_INVALID");
    expect(r.problems[0].at).toBe(`line 7 ${pointer}`);
    expect(r.problems[0].message).toMatch(reason);
  });

  it.each(cases)("refuses %s = %s from a CSV cell the same way", (pointer, number, reason) => {
    const r = csvWith(pointer, number);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems[0].at).toBe(`line 2 ${pointer}`);
    expect(r.problems[0].message).toMatch(reason);
  });

  it("accepts amounts up to the bound with the currency's decimals, and unit rates to a hundredth of a penny", () => {
    for (const [pointer, number] of [
      ["/account/balanceDue", "9999999999999.99"],
      ["/account/balanceDue", "-9999999999999.99"],
      ["/account/balanceDue", "19.99"],
      ["/account/charges/0/rate", "0.2462"],
    ]) {
      expect(parseProfileLine(lineWith(pointer, number), 1).ok, `${pointer} ${number}`).toBe(true);
      expect(csvWith(pointer, number).ok, `CSV ${pointer} ${number}`).toBe(true);
    }
  });

  it("uses the minor unit of every supported currency as the decimal places of an amount", () => {
    for (const currency of CURRENCIES)
      expect(new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits).toBe(
        LIMITS.amountDecimals,
      );
  });
});

describe("control totals of money: exact in minor units, whatever the count", () => {
  const composed = (n: number, currency: string, amount: number): ManifestEntry => ({
    record: n,
    line: n,
    source: "-",
    id: `C${n}`,
    status: "composed",
    channels: ["sms"],
    print: false,
    currency,
    balanceDueMinor: toMinor(amount, currency),
    files: [],
    pages: 0,
    offers: [],
    capped: [],
    problems: [],
  });

  it("adds 100,000 balances of 0.10 and 0.20 to exactly 15000.00", () => {
    const t = new RunTotals();
    for (let n = 1; n <= 100_000; n++) t.add(composed(n, "GBP", n % 2 ? 0.1 : 0.2));
    expect(t.totals().balanceDue).toEqual({ GBP: "15000.00" });
  });

  it("adds 1,000 balances at the schema's bound beyond 2^53 pence without losing a penny", () => {
    const t = new RunTotals();
    for (let n = 1; n <= 1000; n++) t.add(composed(n, "EUR", 9999999999999.99));
    t.add(composed(1001, "EUR", 0.01));
    expect(t.totals().balanceDue).toEqual({ EUR: "9999999999999990.01" });
  });

  it("refuses to turn an amount the schema would refuse into minor units, rather than round it", () => {
    expect(toMinor(9999999999999.99, "GBP")).toBe(999999999999999);
    expect(() => toMinor(0.001, "GBP")).toThrow(/not a whole number of minor units/);
    expect(() => toMinor(1e308, "GBP")).toThrow(/not a whole number of minor units/);
    expect(fromMinor(10n ** 20n + 5n, "GBP")).toBe("1000000000000000000.05");
  });
});
