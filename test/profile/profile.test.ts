import { describe, expect, it } from "vitest";
import { LIMITS, parseProfileLine, recordId, validateProfile } from "../../src/profile/index.ts";
import { generateLines } from "../support/customers.ts";

describe("profile schema", () => {
  it("accepts every good record of the reference extract as it is", () => {
    const lines = generateLines(1000, "--seed", "3");
    const rejected = lines.map((l, i) => parseProfileLine(l, i + 1)).filter((r) => !r.ok);
    expect(rejected).toEqual([]);
  });

  it("rejects each kind of bad record with the line, the field and the rule", () => {
    const lines = generateLines(80, "--bad-every", "10");
    const problems = lines.flatMap((l, i) => {
      const r = parseProfileLine(l, i + 1);
      return r.ok ? [] : r.problems.map((p) => [p.code, p.at, p.message] as const);
    });
    expect(problems).toEqual([
      ["OMD_INPUT_NOT_JSON", "line 10", expect.stringContaining("not valid JSON")],
      ["OMD_INPUT_EMPTY", "line 20", expect.any(String)],
      ["OMD_PROFILE_FIELD_MISSING", "line 30 /id", "/id is required"],
      ["OMD_PROFILE_FIELD_INVALID", "line 40 /account/balanceDue", "/account/balanceDue must be number"],
      ["OMD_PROFILE_FIELD_INVALID", "line 50 /contact/email", "/contact/email is not a valid email"],
      ["OMD_PROFILE_FIELD_INVALID", "line 60 /usage/monthly", "/usage/monthly must be array"],
      [
        "OMD_PROFILE_FIELD_INVALID",
        "line 70 /name/first",
        `/name/first is longer than the limit of ${LIMITS.nameLength} characters`,
      ],
      ["OMD_PROFILE_LOCALE_UNKNOWN", "line 80 /locale", expect.stringContaining("en-GB, en-IE, fr-FR, de-DE")],
    ]);
  });

  it("rejects an unknown currency on its own", () => {
    const record = JSON.parse(generateLines(1)[0]);
    const r = validateProfile({ ...record, currency: "BTCX" });
    expect(r.ok ? [] : r.problems.map((p) => [p.code, p.at])).toEqual([["OMD_PROFILE_LOCALE_UNKNOWN", "/currency"]]);
  });

  it("keeps markup in a name as data", () => {
    const record = JSON.parse(generateLines(1)[0]);
    const r = validateProfile({ ...record, name: { first: "</p><page-break/>", last: "<script>alert(1)</script>" } });
    expect(r.ok && r.value.name.last).toBe("<script>alert(1)</script>");
  });

  it("fills a missing interactions list and keeps fields it does not know", () => {
    const { interactions: _, ...record } = JSON.parse(generateLines(1)[0]);
    const r = validateProfile({ ...record, loyaltyTier: "gold" });
    expect(r.ok && r.value.interactions).toEqual([]);
    expect(r.ok && (r.value as unknown as { loyaltyTier: string }).loyaltyTier).toBe("gold");
  });

  it("reads the id of a record for reject reports, even from a record that fails", () => {
    expect(recordId('{"id":"C0000042","account":{"balanceDue":"12,50"}}')).toBe("C0000042");
    expect(recordId("{ this is not json")).toBeUndefined();
  });
});
