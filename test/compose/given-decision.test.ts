import { beforeAll, describe, expect, it } from "vitest";
import { decide } from "../../src/decide/index.ts";
import {
  type Decision,
  type Engine,
  type Profile,
  buildEngine,
  compose,
  nodeWorld,
  parseProfileLine,
} from "../../src/index.ts";
import { generateLines } from "../support/customers.ts";

/**
 * A worker of a distributed run composes the decision the coordinator made in input order (with the caps as
 * they stood then), so compose must render the decision it is given and never decide again.
 */

const RUN_DATE = "2026-11-01";
let engine: Engine;
let decided: { profile: Profile; decision: Decision }[];

beforeAll(async () => {
  const built = await buildEngine(nodeWorld());
  if (!built.ok) throw new Error(JSON.stringify(built.problems));
  engine = built.value;
  decided = generateLines(20).map((line, i) => {
    const p = parseProfileLine(line, i + 1);
    if (!p.ok) throw new Error(JSON.stringify(p.problems));
    return { profile: p.value, decision: decide(engine.catalogue, p.value, { runDate: RUN_DATE }) };
  });
}, 120_000);

const render = async (profile: Profile, decision?: Decision) => {
  const r = await compose(engine, profile, {
    template: "energy-bill",
    channels: ["email", "sms"],
    runDate: RUN_DATE,
    channelOptions: { emailChart: false },
    decision,
  });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return { email: r.value.email?.text ?? "", sms: r.value.sms?.text ?? "", decision: r.value.decision };
};

describe("compose with a decision given", () => {
  // A customer with an email address, a mobile and a hero that goes by text, and another customer of the same
  // language whose hero is another item that also goes by text.
  const pair = () => {
    const bySms = (d: Decision) => d.slots.hero[0]?.channels.includes("sms") && d.slots.hero[0].copy.sms;
    const a = decided.find(
      ({ profile: p, decision: d }) =>
        p.contact.email && p.contact.mobile && p.preferences.marketingConsent && bySms(d),
    );
    const b = decided.find(
      ({ decision: d }) =>
        a && d.language === a.decision.language && bySms(d) && d.slots.hero[0]!.id !== a.decision.slots.hero[0]!.id,
    );
    if (!a || !b) throw new Error("the generated customers no longer hold such a pair");
    return { a, own: a.decision.slots.hero[0]!, other: b.decision.slots.hero[0]! };
  };

  it("renders its own decision's hero when none is given (the baseline the next cases depart from)", async () => {
    const { a, own } = pair();
    const out = await render(a.profile);
    expect(out.email).toContain(own.copy.headline);
    expect(out.sms).toContain(own.copy.sms);
  });

  it("renders another item swapped into the hero slot, not the hero deciding again would choose", async () => {
    const { a, own, other } = pair();
    const given: Decision = { ...a.decision, slots: { ...a.decision.slots, hero: [other] } };
    const out = await render(a.profile, given);
    expect(out.decision).toBe(given);
    expect(out.email).toContain(other.copy.headline);
    expect(out.sms).toContain(other.copy.sms);
    expect(out.email).not.toContain(own.copy.headline);
    expect(out.sms).not.toContain(own.copy.sms);
  });

  it("renders no hero when the given decision has none (as when a cap was used up)", async () => {
    const { a, own } = pair();
    const out = await render(a.profile, { ...a.decision, slots: { ...a.decision.slots, hero: [] } });
    expect(out.email).not.toContain(own.copy.headline);
    expect(out.sms).not.toContain(own.copy.sms);
    expect(out.email).toContain(a.decision.slots.notice[0]!.copy.headline); // the rest of the decision is kept
  });
});
