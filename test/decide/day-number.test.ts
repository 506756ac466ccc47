import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dayNumber } from "../../src/decide/functions.ts";

const byDateUtc = (iso: string) => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / 86400000;
const pad = (n: number, width: number) => String(n).padStart(width, "0");

describe("dayNumber", () => {
  it("counts the days of every date and timestamp as Date.UTC does", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        fc.constantFrom("", "T08:00:00Z", "T23:59:59.999+02:00"),
        (y, m, d, time) => {
          const iso = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}${time}`;
          expect(dayNumber(iso)).toBe(byDateUtc(iso));
        },
      ),
      { numRuns: 20000 },
    );
    for (const iso of ["1970-01-01", "2000-02-29", "2026-11-01", "2100-03-01", "1600-02-29"])
      expect(dayNumber(iso)).toBe(byDateUtc(iso));
    expect(dayNumber("1970-01-01")).toBe(0);
  });

  it("gives what Date.UTC gives for text that is not a date", () => {
    for (const text of ["", "2026-1x-01", "abcd-ef-gh", "2026-11", " 2026-11-01", "-2026-11-01"])
      expect(Object.is(dayNumber(text), byDateUtc(text)), text).toBe(true);
  });
});
