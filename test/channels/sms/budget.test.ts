import { describe, expect, it } from "vitest";
import { type SmsPart, fitToBudget } from "../../../src/channels/sms/index.ts";

const part = (name: string, length: number, drop?: number, marketing = false): SmsPart => ({
  name,
  text: name[0].repeat(length),
  marketing,
  ...(drop === undefined ? {} : { drop }),
});

describe("fitToBudget", () => {
  it("keeps everything when the text fits", () => {
    const r = fitToBudget([part("a", 50), part("b", 50, 1)], 1, "STOP");
    expect(r).toMatchObject({ fits: true, kept: ["a", "b"], dropped: [], text: `${"a".repeat(50)} ${"b".repeat(50)}` });
  });

  it("drops optional parts in declared order, later parts first on a tie, and only as many as needed", () => {
    // a(100) b(40, drop 2) c(40, drop 1) d(40, drop 1): 100+3*41 = 223 → over one segment.
    const parts = [part("a", 100), part("b", 40, 2), part("c", 40, 1), part("d", 40, 1)];
    const r = fitToBudget(parts, 1, "STOP");
    // d goes first (tie with c, later in the text), then c; a(100)+b(41) = 141 fits.
    expect(r).toMatchObject({ fits: true, kept: ["a", "b"], dropped: ["c", "d"] });
    expect(r.count.segments).toBe(1);
  });

  it("never cuts inside a part: the text is always whole parts joined by spaces", () => {
    const parts = [part("a", 120), part("b", 30, 1), part("c", 35, 2)];
    const r = fitToBudget(parts, 1, "STOP");
    expect(r.text.split(" ").map((w) => w.length)).toEqual([120, 35]);
    expect(r.kept).toEqual(["a", "c"]);
  });

  it("reports over budget when the required parts alone do not fit", () => {
    const r = fitToBudget([part("a", 200), part("b", 10, 1)], 1, "STOP");
    expect(r.fits).toBe(false);
    expect(r.count.segments).toBe(2);
    expect(r.kept).toEqual(["a"]);
  });

  it("adds the opt-out only while a marketing part is kept, and counts it", () => {
    const parts = [part("a", 100), part("m", 40, 1, true)];
    expect(fitToBudget(parts, 2, "STOP").text.endsWith(" STOP")).toBe(true);
    // 100 + 41 + 5 = 146 fits one segment with the opt-out; a 60-character opt-out does not.
    expect(fitToBudget(parts, 1, "STOP").kept).toEqual(["a", "m"]);
    const long = fitToBudget(parts, 1, "S".repeat(60));
    expect(long.kept).toEqual(["a"]);
    expect(long.text).toBe("a".repeat(100));
  });

  it("puts back a dropped part that fits once a later drop switched the text to GSM-7", () => {
    const name: SmsPart = { name: "greeting", text: "Привет,", drop: 2, marketing: false };
    const parts = [part("a", 65), name, part("u", 60, 1)];
    // With the Cyrillic name: UCS-2, 134 units → 2 segments. Dropping u (1) leaves UCS-2 73 → still 2;
    // dropping the name too gives GSM-7; then u fits again and comes back.
    const r = fitToBudget(parts, 1, "STOP");
    expect(r).toMatchObject({ fits: true, kept: ["a", "u"], dropped: ["greeting"] });
    expect(r.count.encoding).toBe("GSM-7");
  });
});
