import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decide } from "../../src/decide/index.ts";
import { catalogue, relationship, scenario } from "./scenarios.ts";

const withHistory = scenario.chain((s) => relationship(s.runDate).map((history) => ({ ...s, history })));

describe("a decision without its trace", () => {
  it("chooses the same items, variants and copy as the traced decision, with and without history", () => {
    fc.assert(
      fc.property(withHistory, ({ profile, runDate, capped, history }) => {
        const traced = decide(catalogue, profile, { runDate, capped, history });
        const untraced = decide(catalogue, profile, { runDate, capped, history, trace: false });
        const { trace, ...rest } = traced;
        expect(untraced).toEqual(rest);
        expect(Object.keys(untraced)).toEqual(["customerId", "runDate", "language", "slots"]);
        expect(trace.length).toBe(catalogue.items.length);
      }),
      { numRuns: 2000 },
    );
  }, 120_000); // thousands of decisions: minutes on a loaded machine

  it("is the default decision with its trace when trace is true or not given", () => {
    fc.assert(
      fc.property(scenario, ({ profile, runDate }) => {
        expect(decide(catalogue, profile, { runDate, trace: true })).toEqual(decide(catalogue, profile, { runDate }));
      }),
      { numRuns: 100 },
    );
  });
});
