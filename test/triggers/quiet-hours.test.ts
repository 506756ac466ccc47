import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { instantsAt, quietHoursEnd } from "../../src/triggers/index.ts";

const NIGHT = { from: "21:00", to: "08:00" };
const end = (at: string, quiet = NIGHT, zone = "Europe/London") =>
  new Date(quietHoursEnd(Date.parse(at), quiet, zone)).toISOString();

describe("the end of quiet hours", () => {
  it.each([
    ["03:00 in winter waits until 08:00 GMT", "2026-12-01T03:00:00Z", "2026-12-01T08:00:00.000Z"],
    ["03:00 in summer waits until 08:00 BST", "2026-07-01T02:00:00Z", "2026-07-01T07:00:00.000Z"],
    ["22:00 waits until 08:00 the next day", "2026-12-01T22:00:00Z", "2026-12-02T08:00:00.000Z"],
    ["22:00 on the last day of a month: the 1st", "2026-12-31T22:00:00Z", "2027-01-01T08:00:00.000Z"],
    ["21:00 itself is quiet", "2026-12-01T21:00:00Z", "2026-12-02T08:00:00.000Z"],
    ["07:59:59 is still quiet", "2026-12-01T07:59:59Z", "2026-12-01T08:00:00.000Z"],
    ["08:00 itself goes", "2026-12-01T08:00:00Z", "2026-12-01T08:00:00.000Z"],
    ["20:59 goes", "2026-12-01T20:59:00Z", "2026-12-01T20:59:00.000Z"],
    // 25 October 2026: at 02:00 BST the clocks go back to 01:00 GMT.
    ["22:00 BST before the clocks go back: 08:00 GMT", "2026-10-24T21:00:00Z", "2026-10-25T08:00:00.000Z"],
    ["01:30 in the hour that comes twice, first time", "2026-10-25T00:30:00Z", "2026-10-25T08:00:00.000Z"],
    ["01:30 in the hour that comes twice, second time", "2026-10-25T01:30:00Z", "2026-10-25T08:00:00.000Z"],
    // 28 March 2027: at 01:00 GMT the clocks go forward to 02:00 BST.
    ["22:00 GMT before the clocks go forward: 08:00 BST", "2027-03-27T22:00:00Z", "2027-03-28T07:00:00.000Z"],
    ["00:30 GMT, just before they jump", "2027-03-28T00:30:00Z", "2027-03-28T07:00:00.000Z"],
    ["03:00 BST, after they jumped", "2027-03-28T02:00:00Z", "2027-03-28T07:00:00.000Z"],
  ])("%s", (_, at, expected) => {
    expect(end(at)).toBe(expected);
  });

  it("is the first time the clock shows `to` after the night, when the clocks go back over it", () => {
    const lateNight = { from: "21:00", to: "01:30" };
    // 23:00 BST: the first 01:30, still in summer time.
    expect(end("2026-10-24T22:00:00Z", lateNight)).toBe("2026-10-25T00:30:00.000Z");
    // 01:10 GMT, after that first 01:30: the clock shows 01:30 again at 01:30 GMT.
    expect(end("2026-10-25T01:10:00Z", lateNight)).toBe("2026-10-25T01:30:00.000Z");
  });

  it("is the instant the clocks jump when they go forward over `to`", () => {
    // 00:45 GMT: 01:30 never shows; at 01:00 GMT the clock reads 02:00 BST.
    expect(end("2027-03-28T00:45:00Z", { from: "00:30", to: "01:30" })).toBe("2027-03-28T01:00:00.000Z");
  });

  it("works in the day and in other zones", () => {
    expect(end("2026-12-01T13:00:00Z", { from: "12:00", to: "14:00" })).toBe("2026-12-01T14:00:00.000Z");
    expect(end("2026-12-01T02:00:00Z", NIGHT, "Europe/Paris")).toBe("2026-12-01T07:00:00.000Z");
    expect(end("2026-12-01T02:00:00Z", NIGHT, "America/New_York")).toBe("2026-12-01T13:00:00.000Z");
    // Kolkata is 5 h 30 ahead all year.
    expect(end("2026-12-01T18:00:00Z", NIGHT, "Asia/Kolkata")).toBe("2026-12-02T02:30:00.000Z");
  });
});

describe("the instants a clock shows a time", () => {
  it("are one on most days, two when the clocks go back over it, the jump when they go forward over it", () => {
    const iso = (day: { year: number; month: number; day: number }, minutes: number) =>
      instantsAt(day, minutes, "Europe/London").map((i) => new Date(i).toISOString());
    expect(iso({ year: 2026, month: 10, day: 24 }, 90)).toEqual(["2026-10-24T00:30:00.000Z"]);
    expect(iso({ year: 2026, month: 10, day: 25 }, 90)).toEqual([
      "2026-10-25T00:30:00.000Z",
      "2026-10-25T01:30:00.000Z",
    ]);
    expect(iso({ year: 2027, month: 3, day: 28 }, 90)).toEqual(["2027-03-28T01:00:00.000Z"]);
    expect(iso({ year: 2027, month: 3, day: 28 }, 120)).toEqual(["2027-03-28T01:00:00.000Z"]);
  });
});

/** Zones with summer time either side of the equator, half- and three-quarter-hour offsets, and none. */
const ZONES = [
  "Europe/London",
  "Europe/Paris",
  "America/New_York",
  "America/St_Johns",
  "Australia/Sydney",
  "Australia/Lord_Howe",
  "Pacific/Chatham",
  "Asia/Kolkata",
  "UTC",
];

/** Minutes past midnight on the zone's clock, read by Intl directly (not by the code under test). */
function clock(instant: number, zone: string): number {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: zone,
    hourCycle: "h23",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  }).formatToParts(instant);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return n("hour") * 60 + n("minute") + n("second") / 60;
}

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

describe("quiet hours, for any time, zone and window", () => {
  it("end at or after now, outside quiet hours, and no later than the first minute that is not quiet", () => {
    fc.assert(
      fc.property(
        // 2026 to 2028, to the second: every change of the clocks of those years.
        fc.integer({ min: Date.UTC(2026, 0, 1) / 1000, max: Date.UTC(2029, 0, 1) / 1000 }).map((s) => s * 1000),
        fc.constantFrom(...ZONES),
        fc.integer({ min: 0, max: 1439 }),
        fc.integer({ min: 0, max: 1439 }),
        (now, zone, from, to) => {
          fc.pre(from !== to);
          const quiet = { from: hhmm(from), to: hhmm(to) };
          const isQuiet = (instant: number) => {
            const m = clock(instant, zone);
            return from < to ? m >= from && m < to : m >= from || m < to;
          };
          const notBefore = quietHoursEnd(now, quiet, zone);
          expect(notBefore).toBeGreaterThanOrEqual(now);
          expect(isQuiet(notBefore)).toBe(false);
          // Every second before it, from now, was quiet: sampled at eight points and just before it.
          if (notBefore > now) {
            for (let k = 0; k < 8; k++) expect(isQuiet(now + Math.floor(((notBefore - now) * k) / 8))).toBe(true);
            expect(isQuiet(notBefore - 1000)).toBe(true);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
