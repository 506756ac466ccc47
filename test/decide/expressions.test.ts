import { describe, expect, it } from "vitest";
import { decide } from "../../src/decide/index.ts";
import { readOwn } from "../../src/decide/expression.ts";
import { RUN_DATE, catalogueFrom, customer, item, mustLoad } from "./fixtures.ts";

/** Line and column (1-based) of `needle` in the catalogue text `catalogueFrom` builds. */
function where(itemsYaml: string, needle: string, occurrence = 0): string {
  const lines = `items:\n${itemsYaml}`.split("\n");
  let seen = 0;
  for (const [i, line] of lines.entries()) {
    for (let col = line.indexOf(needle); col >= 0; col = line.indexOf(needle, col + 1)) {
      if (seen++ === occurrence) return `test.yaml:${i + 1}:${col + 1}`;
    }
  }
  throw new Error(`${needle} not in catalogue`);
}

function problemsOf(itemsYaml: string) {
  const r = catalogueFrom(itemsYaml);
  if (r.ok) throw new Error("expected the catalogue to fail loading");
  return r.problems;
}

describe("eligibility expressions at load", () => {
  it("reports a syntax error with the catalogue's file, line and column of the offending token", () => {
    const yaml = item("a") + item("b", { eligibility: "tenureMonths >= and 3" });
    const [p] = problemsOf(yaml);
    expect(p.code).toBe("OMD_CATALOGUE_EXPRESSION");
    expect(p.at).toBe(where(yaml, "and 3"));
    expect(p.at).toBe("test.yaml:14:34");
    expect(p.message).toContain('item "b"');
  });

  it("finds a syntax error past the parser's 20-character window in a long expression", () => {
    const yaml = item("a", { eligibility: 'segment == "residential" and tenureMonths > 12 and usageTotal() > > 3' });
    expect(problemsOf(yaml)[0].at).toBe(where(yaml, "> 3"));
  });

  it("reports an unknown profile field at its line and column, with a suggestion", () => {
    const yaml = item("a", { eligibility: "tenureMonths >= 3 and acount.inArrears" });
    const [p] = problemsOf(yaml);
    expect(p.code).toBe("OMD_CATALOGUE_UNKNOWN_FIELD");
    expect(p.at).toBe("test.yaml:6:40");
    expect(p.at).toBe(where(yaml, "acount"));
    expect(p.hint).toBe('did you mean "account.inArrears"?');
  });

  it("locates fields inside quoted scalars with escapes and inside block scalars", () => {
    const quoted = item("a", { eligibility: '"segment == \\"vulnerable\\" and nope > 1"' });
    expect(problemsOf(quoted)[0].at).toBe(where(quoted, "nope"));
    const block = item("b", { eligibility: '|\n      segment == "residential"\n        and usage.peers > 1' });
    expect(problemsOf(block)[0].at).toBe(where(block, "usage.peers"));
    const folded = item("c", { eligibility: '>\n      segment == "residential" and\n      tenure > 1' });
    expect(problemsOf(folded)[0].at).toBe(where(folded, "tenure >"));
  });

  it("reports every unknown field and function, not only the first", () => {
    const yaml = item("a", { eligibility: "colour == 1 or shoeSize > 2 or karma(3)" });
    expect(problemsOf(yaml).map((p) => [p.code, p.at])).toEqual([
      ["OMD_CATALOGUE_UNKNOWN_FIELD", where(yaml, "colour")],
      ["OMD_CATALOGUE_UNKNOWN_FIELD", where(yaml, "shoeSize")],
      ["OMD_CATALOGUE_EXPRESSION", where(yaml, "karma")],
    ]);
  });

  it("accepts every schema path, list fields, member names with `of` and the domain functions", () => {
    const c = mustLoad(
      item("a", {
        eligibility:
          '"exists(contact.email) and count(products) >= 1 and city of contact.address != \\"\\" and holds(\\"ELEC-STD\\") and usage.peerAverage >= 0 and not account.inArrears"',
      }),
    );
    expect(decide(c, customer(), { runDate: RUN_DATE }).trace[0].rule).toBe("chosen");
  });

  it("points at the key of a schema breach and at a duplicate id", () => {
    const yaml = item("a", { slot: "banner" }) + item("a");
    const problems = problemsOf(yaml);
    expect(problems.map((p) => p.code)).toEqual(["OMD_CATALOGUE_SYNTAX"]);
    expect(problems[0].at).toBe(where(yaml, "banner"));
    expect(problems[0].message).toContain("hero, secondary, notice");
    const dup = item("a") + item("a");
    expect(problemsOf(dup).map((p) => [p.code, p.at])).toEqual([["OMD_CATALOGUE_DUPLICATE_ID", "test.yaml:10:9"]]);
  });

  it("refuses SMS copy on an item that may not go by SMS, and SMS channels without SMS copy", () => {
    const noSmsChannel = item("a", { copy: "{ en: { headline: h, body: b, sms: s } }" });
    expect(problemsOf(noSmsChannel)[0].message).toContain("sms is not one of its channels");
    const noSmsCopy = item("b", { channels: "[sms]" });
    expect(problemsOf(noSmsCopy)[0].message).toContain("no sms text");
  });
});

describe("the expression sandbox", () => {
  it.each([
    "constructor",
    "__proto__",
    "toString",
    "process",
    "globalThis",
    "id.constructor",
    "name.__proto__.polluted",
    "'constructor'",
    "prototype of name",
  ])("refuses %s at load: not a profile field", (expression) => {
    const problems = problemsOf(item("a", { eligibility: JSON.stringify(`${expression} == 1`) }));
    expect(problems[0].code).toBe("OMD_CATALOGUE_UNKNOWN_FIELD");
  });

  it("calls no function outside the library", () => {
    for (const fn of ["eval", "constructor", "require", "hasOwnProperty"]) {
      expect(problemsOf(item("a", { eligibility: `${fn}(1)` }))[0].code).toBe("OMD_CATALOGUE_EXPRESSION");
    }
  });

  it("reads own data properties only, whatever name reaches it", () => {
    expect(readOwn({ a: 1 }, "a")).toBe(1);
    expect(readOwn({}, "constructor")).toBeUndefined();
    expect(readOwn({}, "toString")).toBeUndefined();
    expect(readOwn(JSON.parse('{"__proto__": {"x": 1}}'), "__proto__")).toBeUndefined();
    expect(readOwn("text", "length")).toBeUndefined();
    expect(readOwn(null, "a")).toBeUndefined();
  });
});

describe("eligibility at decision time", () => {
  it("turns an error the expression returns into an expression-error trace, never a throw", () => {
    const c = mustLoad(item("a", { eligibility: "name.first > 3" }) + item("b", { eligibility: "tenureMonths" }));
    const d = decide(c, customer(), { runDate: RUN_DATE });
    expect(d.trace.map((t) => t.rule)).toEqual(["expression-error", "expression-error"]);
    expect(d.trace[0].reason).toMatch(/Expected a number, but got a text/);
    expect(d.trace[1].reason).toMatch(/gave 24, not true or false/);
    expect(d.trace.map((t) => t.problem?.code)).toEqual([
      "OMD_DECIDE_EXPRESSION_FAILED",
      "OMD_DECIDE_EXPRESSION_FAILED",
    ]);
  });

  it("reads an absent optional field as undefined, so exists() can test it", () => {
    const c = mustLoad(item("a", { eligibility: "exists(contact.mobile)" }));
    expect(decide(c, customer(), { runDate: RUN_DATE }).trace[0].rule).toBe("chosen");
    const noMobile = customer((p) => {
      delete p.contact.mobile;
    });
    expect(decide(c, noMobile, { runDate: RUN_DATE }).trace[0].rule).toBe("eligibility");
  });

  it("answers the domain functions from the profile and the run date", () => {
    const p = customer((x) => {
      x.products = [{ code: "GAS-STD", name: "Gas" }];
      x.usage.monthly = [
        { month: "2026-09", value: 100 },
        { month: "2026-10", value: 300 },
      ];
      x.preferences.channels = ["email"];
      x.interactions = [
        { date: "2026-10-22", channel: "web", topic: "moving-home" },
        { date: "2026-08-01", channel: "web", topic: "moving-home" },
        { date: "2026-12-01", channel: "web", topic: "outage" },
      ];
    });
    const cases: [string, boolean][] = [
      ['holds("GAS-STD")', true],
      ['holds("ELEC-EV")', false],
      ['hasChannel("email")', true],
      ['hasChannel("sms")', false],
      ["usageTotal() == 400", true],
      ["usageAverage() == 200", true],
      ["usageLatest() == 300", true],
      ['daysSince("moving-home") == 10', true],
      ['daysSince("outage") == 100000', true],
      ["interactionsWithin(30) == 1", true],
      ["complainedWithin(365)", false],
      ["count(interactions) == 3", true],
    ];
    const c = mustLoad(
      cases.map(([e], i) => item(`f${i}`, { eligibility: JSON.stringify(e), slot: "notice" })).join(""),
    );
    const d = decide(c, p, { runDate: RUN_DATE });
    expect(d.trace.map((t) => [t.id, t.rule === "chosen"])).toEqual(cases.map(([, v], i) => [`f${i}`, v]));
  });
});
