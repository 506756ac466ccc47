import type { Profile } from "../profile/index.ts";
import { type Eligibility, ExpressionCompiler, type ExpressionError, type ExpressionKind } from "./expression.ts";
import { Facts, domainFunctions } from "./functions.ts";
import { PROFILE_FIELDS } from "./profile-fields.ts";

/**
 * Who a document is for: the conditions of a template's `audience`, in the catalogue's expression language
 * and checked against the same profile fields and functions. A customer must meet every condition; the
 * first one missed is the reason the customer is skipped (neither composed nor rejected).
 */
export interface AudienceCondition {
  /** An expression over the profile: `account.balanceDue > 0`. */
  rule: string;
  /** Words for a person when the rule does not hold: `nothing is owed`. Defaults to the rule itself. */
  skip?: string;
  /** Where the rule is written (`file:line:column`), for messages. */
  at?: string;
}

export type AudienceVerdict =
  | { status: "inside" }
  /** `condition` indexes the audience's conditions. */
  | { status: "outside"; condition: number; rule: string; reason: string; at?: string }
  /** The rule gave neither true nor false for this customer (a missing optional field compared, say). */
  | { status: "undecided"; condition: number; rule: string; reason: string; at?: string };

const AUDIENCE: ExpressionKind = {
  name: "audience",
  invalid: "OMD_TEMPLATE_AUDIENCE",
  unknownField: "OMD_TEMPLATE_AUDIENCE",
};

interface Compiled {
  rule: string;
  reason: string;
  at?: string;
  test: Eligibility;
}

/** A compiled audience: immutable but for the facts it points at each customer in turn, as a catalogue does. */
export class Audience {
  constructor(
    private readonly facts: Facts,
    private readonly compiled: readonly Compiled[],
  ) {}

  get conditions(): readonly AudienceCondition[] {
    return this.compiled.map(({ rule, reason, at }) => ({ rule, skip: reason, at }));
  }

  check(profile: Profile, runDate: string): AudienceVerdict {
    this.facts.reset(profile, runDate);
    for (const [condition, c] of this.compiled.entries()) {
      const verdict = c.test(profile);
      if (verdict === true) continue;
      const { rule, at } = c;
      if (verdict === false) return { status: "outside", condition, rule, reason: c.reason, at };
      const why = verdict instanceof Error ? verdict.message : `it gave ${JSON.stringify(verdict) ?? String(verdict)}`;
      return { status: "undecided", condition, rule, reason: `it gave neither true nor false (${why})`, at };
    }
    return { status: "inside" };
  }
}

/** Compiles an audience once; each problem names the condition (index) and the offset inside its rule. */
export function compileAudience(
  conditions: readonly AudienceCondition[],
): { ok: true; audience: Audience } | { ok: false; errors: (ExpressionError & { condition: number })[] } {
  const facts = new Facts();
  const compiler = new ExpressionCompiler(PROFILE_FIELDS, domainFunctions(facts), AUDIENCE);
  const compiled: Compiled[] = [];
  const errors: (ExpressionError & { condition: number })[] = [];
  for (const [condition, c] of conditions.entries()) {
    const r = compiler.compile(c.rule);
    if (!r.ok) errors.push(...r.errors.map((e) => ({ ...e, condition })));
    else
      compiled.push({ rule: c.rule.trim(), reason: c.skip?.trim() || `not ${c.rule.trim()}`, at: c.at, test: r.test });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, audience: new Audience(facts, compiled) };
}
