import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { compileCsvHeader, csvRowToRecord, parseProfileCsvRow } from "../../src/profile/index.ts";
import { profilesToCsv } from "../support/csv.ts";
import { generateLines } from "../support/customers.ts";

function header(names: string[]) {
  const h = compileCsvHeader(names);
  if (!h.ok) throw new Error(h.problems[0].message);
  return h.value;
}

describe("CSV extracts with dotted headers", () => {
  it("reads every generated customer back to the same profile as its NDJSON line", () => {
    const lines = generateLines(60);
    const records = lines.map((l) => JSON.parse(l));
    const [head, ...rows] = parse(profilesToCsv(records)) as string[][];
    const h = header(head);
    for (const [i, row] of rows.entries()) {
      const r = parseProfileCsvRow(h, row, i + 2);
      expect(r.ok, JSON.stringify(!r.ok && r.problems)).toBe(true);
      // An empty cell is an absent field: a blank title reads back as no title.
      if (records[i].name.title === "") delete records[i].name.title;
      if (r.ok) expect(r.value).toEqual(records[i]);
    }
  });

  it("types cells by the schema and builds arrays from indexed and list columns", () => {
    const h = header([
      "id",
      "tenureMonths",
      "account.directDebit",
      "preferences.channels",
      "products.0.code",
      "products.1.code",
      "usage.daily.0",
      "extra.note",
    ]);
    const record = csvRowToRecord(h, ["C1", "12", "true", "email|sms", "", "GAS-STD", "3.5", "kept"]);
    expect(record).toEqual({
      id: "C1",
      tenureMonths: 12,
      account: { directDebit: true },
      preferences: { channels: ["email", "sms"] },
      products: [{ code: "GAS-STD" }],
      usage: { daily: [3.5] },
      extra: { note: "kept" },
    });
  });

  it("keeps a customer with no products as an empty list, and an empty cell as an absent field", () => {
    const h = header(["contact.email", "products.0.code", "products.0.name"]);
    expect(csvRowToRecord(h, ["", "", ""])).toEqual({ contact: {}, products: [] });
  });

  it("rejects a number written as text with the line and the field, like an NDJSON record", () => {
    const record = JSON.parse(generateLines(1)[0]);
    const [head, row] = parse(profilesToCsv([record])) as string[][];
    const h = header(head);
    row[head.indexOf("account.balanceDue")] = "12,50";
    const r = parseProfileCsvRow(h, row, 7);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems[0].code).toBe("OMD_PROFILE_FIELD_INVALID");
      expect(r.problems[0].at).toBe("line 7 /account/balanceDue");
    }
  });

  it("rejects a row with the wrong number of cells and an empty row", () => {
    const h = header(["id", "name.first"]);
    const short = parseProfileCsvRow(h, ["C1"], 3);
    expect(!short.ok && short.problems[0]).toMatchObject({ code: "OMD_INPUT_CSV", at: "line 3" });
    const empty = parseProfileCsvRow(h, ["", " "], 4);
    expect(!empty.ok && empty.problems[0].code).toBe("OMD_INPUT_EMPTY");
  });

  it("refuses headers that are not field paths or would reach an object's prototype", () => {
    for (const bad of [["id", ""], ["a..b"], ["__proto__.polluted"], ["name.constructor"], ["id", "id"]]) {
      const r = compileCsvHeader(bad);
      expect(r.ok, bad.join(",")).toBe(false);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
