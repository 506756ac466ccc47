import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { type Engine, type Profile, buildEngine, compose } from "../../src/index.ts";
import { PROJECT_ROOT, memoryWorld } from "../support/memory-world.ts";
import { sampleProfiles } from "../support/pdf-views.ts";

/** Who a document is for: `audience` in template.yaml, compiled once, and what compose does with a customer. */

const FILE = "templates/payment-reminder/template.yaml";
const SHIPPED = readFileSync(new URL(`../../${FILE}`, import.meta.url), "utf8");

/** The engine over the project's files, with the reminder's template.yaml as given. */
const engineWith = (manifest: string) =>
  buildEngine(memoryWorld({ seedFrom: PROJECT_ROOT, files: { [FILE]: manifest } }));

/** The reminder's manifest with its audience replaced by `audience` (YAML, from the `audience:` key on). */
const withAudience = (audience: string) => SHIPPED.replace(/^audience:\n(?: {2}.*\n)+/m, audience);

/** Line and column (1-based) of the first occurrence of `needle` in `text`. */
function position(text: string, needle: string): string {
  const before = text.slice(0, text.indexOf(needle)).split("\n");
  return `${before.length}:${before.at(-1)!.length + 1}`;
}

const first = (pick: (p: Profile) => boolean) => structuredClone(sampleProfiles().find(pick)!);

describe("a template's audience", () => {
  it("is checked at load like the catalogue's expressions: an unknown field at its file:line:column", async () => {
    const manifest = withAudience(
      "audience:\n  - rule: account.balanceDue > 0\n  - rule: not account.directDebitt\n    skip: on Direct Debit\n",
    );
    const r = await engineWith(manifest);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => [p.code, p.at, p.hint])).toEqual([
      [
        "OMD_TEMPLATE_AUDIENCE",
        `${FILE}:${position(manifest, "account.directDebitt")}`,
        'did you mean "account.directDebit"?',
      ],
    ]);
    expect(r.problems[0].message).toContain('audience names "account.directDebitt"');
  });

  it("is checked at load: a rule that does not parse, an unknown function, a malformed entry", async () => {
    const broken = await engineWith(withAudience("audience: account.balanceDue >\n"));
    expect(broken.ok ? [] : broken.problems.map((p) => p.code)).toEqual(["OMD_TEMPLATE_AUDIENCE"]);
    const unknown = await engineWith(withAudience("audience: owes(1)\n"));
    expect(unknown.ok ? [] : unknown.problems.map((p) => [p.code, p.at])).toEqual([
      ["OMD_TEMPLATE_AUDIENCE", `${FILE}:${position(withAudience("audience: owes(1)\n"), "owes(1)")}`],
    ]);
    const shape = await engineWith(withAudience("audience:\n  - skip: no rule\n"));
    expect(shape.ok ? [] : shape.problems.map((p) => p.code)).toContain("OMD_TEMPLATE_MANIFEST_INVALID");
  });

  describe("in compose", () => {
    let engine: Engine;
    beforeAll(async () => {
      const r = await engineWith(SHIPPED);
      if (!r.ok) throw new Error(JSON.stringify(r.problems));
      engine = r.value;
    });
    const reminder = (p: Profile) =>
      compose(engine, p, { template: "payment-reminder", channels: ["sms"], runDate: "2026-11-01" });

    it("skips a customer in credit with the reason and the rule, where template.yaml writes it", async () => {
      const r = await reminder(first((p) => p.account.balanceDue < 0));
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.problems).toHaveLength(1);
      const [p] = r.problems;
      expect(p.code).toBe("OMD_AUDIENCE_OUTSIDE");
      expect(p.message).toContain("nothing is owed (the balance is zero or in credit)");
      expect(p.message).toContain("rule: account.balanceDue > 0");
      expect(p.at).toBe(`${FILE}:${position(SHIPPED, "account.balanceDue > 0")}`);
    });

    it("names the first rule a customer misses: Direct Debit, then not in arrears", async () => {
      const dd = await reminder(first((p) => p.account.balanceDue > 0 && p.account.directDebit));
      expect(dd.ok ? "" : dd.problems[0].message).toContain("rule: not account.directDebit");
      const settled = await reminder(
        first((p) => p.account.balanceDue > 0 && !p.account.directDebit && !p.account.inArrears),
      );
      expect(settled.ok ? "" : settled.problems[0].message).toContain("rule: account.inArrears");
    });

    it("composes a customer inside it", async () => {
      const r = await reminder(
        first((p) => p.account.balanceDue > 0 && !p.account.directDebit && p.account.inArrears && !!p.contact.mobile),
      );
      expect(r.ok && r.value.sms?.text).toMatch(/arrears/);
    });

    it("the energy bill skips an account with nothing to state: no charges and a zero balance", async () => {
      const bill = (p: Profile) => compose(engine, p, { template: "energy-bill", channels: [], runDate: "2026-11-01" });
      const empty = first(() => true);
      empty.account.charges = [];
      empty.account.balanceDue = 0;
      const r = await bill(empty);
      expect(r.ok ? "" : r.problems[0].message).toContain(
        "nothing to state (no charges this period and a zero balance)",
      );
      empty.account.balanceDue = -3.5;
      expect((await bill(empty)).ok).toBe(true);
    });

    /** The reminder, its audience replaced by `audience`, composed (no channel) for `profile`. */
    async function composeWithAudience(audience: string, profile: Profile) {
      const r = await engineWith(withAudience(audience));
      if (!r.ok) throw new Error(JSON.stringify(r.problems));
      return compose(r.value, profile, { template: "payment-reminder", channels: [], runDate: "2026-11-01" });
    }

    it("written as one rule, skips with the rule as its reason", async () => {
      const c = await composeWithAudience(
        "audience: tenureMonths > 100000\n",
        first(() => true),
      );
      expect(c.ok ? "" : c.problems[0].message).toContain("not tenureMonths > 100000 (rule: tenureMonths > 100000)");
    });

    it("a rule that cannot be decided for a customer is reported as such, not taken as in or out", async () => {
      const c = await composeWithAudience(
        "audience: holds(tenureMonths) or true\n",
        first(() => true),
      );
      expect(c.ok ? [] : c.problems.map((p) => p.code)).toEqual(["OMD_AUDIENCE_UNDECIDED"]);
    });

    it("a template without one is for everyone", async () => {
      const c = await composeWithAudience(
        "",
        first((p) => p.account.balanceDue < 0),
      );
      expect(c.ok).toBe(true);
    });
  });
});
