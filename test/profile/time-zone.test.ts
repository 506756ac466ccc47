import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { validateProfile } from "../../src/profile/index.ts";

const records = readFileSync(new URL("../../samples/customers-200.ndjson", import.meta.url), "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse(l));

const withZone = (timeZone: unknown) => {
  const r = structuredClone(records[0]);
  r.preferences.timeZone = timeZone;
  return validateProfile(r);
};

describe("a profile's time zone", () => {
  it("is optional: the reference extract has none and validates as it is", () => {
    for (const r of records) expect(validateProfile(r).ok).toBe(true);
    expect(records.some((r) => "timeZone" in r.preferences)).toBe(false);
  });

  it("is kept when it is an IANA zone", () => {
    const r = withZone("Europe/Paris");
    expect(r.ok && r.value.preferences.timeZone).toBe("Europe/Paris");
  });

  it.each([["Mars/Olympus_Mons"], ["+01:00"], [""], [" Europe/London"], [42]])("refuses %j at its pointer", (zone) => {
    const r = withZone(zone);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]).toMatchObject({ code: "OMD_PROFILE_FIELD_INVALID", at: "/preferences/timeZone" });
  });
});
