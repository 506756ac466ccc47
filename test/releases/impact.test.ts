import { beforeAll, describe, expect, it } from "vitest";
import { decide } from "../../src/decide/index.ts";
import type { Engine } from "../../src/engine.ts";
import { parseProfileLine, type Profile } from "../../src/profile/index.ts";
import { type ImpactRecord, decisionImpact } from "../../src/releases/index.ts";
import { generateLines } from "../support/customers.ts";
import { engineOf, projectCopy } from "../support/project-copy.ts";

const RUN_DATE = "2026-11-01";
const CATALOGUE = "samples/catalogue.yaml";
/** The loyalty thanks for ten years with us, now sent after five. */
const fiveYears = (yaml: string) => yaml.replace("eligibility: tenureMonths >= 120", "eligibility: tenureMonths >= 60");

const records = (lines: string[]): ImpactRecord[] =>
  lines.map((text, i) => ({ line: i + 1, profile: parseProfileLine(text, i + 1) }));

/** Extract of 60 customers, every 10th line bad: lines 10, 20, … 60. */
const LINES = generateLines(60, "--seed", "3", "--bad-every", "10");
const BAD_LINES = [10, 20, 30, 40, 50, 60];

let base: Engine;
let next: Engine;

beforeAll(async () => {
  base = await engineOf();
  next = await engineOf(projectCopy({ [CATALOGUE]: fiveYears }));
});

describe("decision impact", () => {
  it("moves exactly the customers a changed eligibility gives the loyalty thanks, as deciding each by hand finds", async () => {
    const impact = await decisionImpact(base, next, "energy-bill", records(LINES), { runDate: RUN_DATE });

    // By hand: each good record decided with both catalogues, the secondary slot compared.
    const good = LINES.flatMap((l, i) => {
      const r = parseProfileLine(l, i + 1);
      return r.ok ? [r.value] : [];
    });
    const secondary = (engine: Engine, p: Profile) =>
      decide(engine.catalogue, p, { runDate: RUN_DATE }).slots.secondary.map((item) => item.id);
    const gained = good.filter(
      (p) => !secondary(base, p).includes("loyalty-thanks") && secondary(next, p).includes("loyalty-thanks"),
    );
    expect(gained.length).toBeGreaterThan(0);
    // Only what the rule says: five to ten years with us.
    for (const p of gained) expect(p.tenureMonths).toBeGreaterThanOrEqual(60);
    for (const p of gained) expect(p.tenureMonths).toBeLessThan(120);

    expect(impact.customers).toBe(good.length);
    expect(impact.changed).toBe(gained.length);
    const toThanks = impact.moves.filter((m) => m.to === "loyalty-thanks");
    expect(toThanks.every((m) => m.slot === "secondary")).toBe(true);
    expect(toThanks.reduce((n, m) => n + m.customers, 0)).toBe(gained.length);
    expect(impact.moves.filter((m) => m.to !== "loyalty-thanks")).toEqual([]);
    // Per segment (a move also names the item it displaced), the counts; examples are its first ids in input order.
    for (const segment of new Set(gained.map((p) => p.segment))) {
      const mine = gained.filter((p) => p.segment === segment).map((p) => p.id);
      const moves = toThanks.filter((m) => m.segment === segment);
      expect(moves.reduce((n, m) => n + m.customers, 0)).toBe(mine.length);
      for (const m of moves) {
        expect(m.examples.length).toBe(Math.min(3, m.customers));
        expect(m.examples).toEqual(mine.filter((id) => m.examples.includes(id)));
      }
    }
  });

  it("reports each bad record and a repeated id at its line, and decides the rest", async () => {
    const repeated = LINES[0];
    const impact = await decisionImpact(base, next, "energy-bill", records([...LINES, repeated]), {
      runDate: RUN_DATE,
    });
    expect(impact.problems.map((p) => p.at?.split(" ").slice(0, 2).join(" "))).toEqual([
      ...BAD_LINES.map((n) => `line ${n}`),
      "line 61",
    ]);
    expect(impact.problems.at(-1)?.code).toBe("OMD_INPUT_DUPLICATE_ID");
    expect(impact.customers).toBe(60 - BAD_LINES.length);
  });

  it("finds no move and no page change between a version and itself", async () => {
    const impact = await decisionImpact(base, base, "energy-bill", records(LINES.slice(0, 4)), {
      runDate: RUN_DATE,
      pages: true,
    });
    expect(impact).toMatchObject({ customers: 4, changed: 0, moves: [], pageChanges: [], problems: [] });
  });

  it("lists the customers whose statement gains a page", async () => {
    const longer = await engineOf(
      projectCopy({
        "templates/energy-bill/locales/en.yaml": (y) =>
          y.replace(
            "intro: Here is your statement for {period}.",
            `intro: "${"Here is your statement. ".repeat(400)}"`,
          ),
      }),
    );
    const english = LINES.slice(0, 9).filter(
      (l) => parseProfileLine(l, 1).ok && JSON.parse(l).preferences.language === "en",
    );
    const impact = await decisionImpact(base, longer, "energy-bill", records(english), {
      runDate: RUN_DATE,
      pages: true,
    });
    expect(impact.pageChanges?.length).toBe(english.length);
    for (const c of impact.pageChanges ?? []) expect(c.to).toBeGreaterThan(c.from);
    expect(impact.changed).toBe(0);
  });
});
