/**
 * Before and after in one process: each customer's email (chart embedded) and SMS composed through the public
 * API (`compose(engine, profile, { channels })` from a validated profile) by an older checkout of the project
 * (`--base`, e.g. a `git worktree add` of the commit before a change) and by this one, in alternating order,
 * with the CPU time of each compose. Both sides meet the same load at the same moment, so their ratio holds on a
 * shared machine where two runs minutes apart swing by ±20%. Also says how many outputs differ (the .eml's
 * bytes, HTML, text, subject, preheader; the SMS as JSON).
 *
 *   npx tsx bench/email/paired.ts --base ../omnidoc-before [--count 500] [--rounds 5] [--warm-up 100]
 */
import "../signing-keys.ts";
import { type Profile, validateProfile } from "../../src/profile/index.ts";
import { sampleLines } from "../../src/sample/index.ts";
import { cpuMs, f, load, pairedCheckouts } from "./checkouts.ts";

const RUN_DATE = "2026-11-01";

const { sides, count, rounds: ROUNDS, warmUp } = await pairedCheckouts({ count: 500, rounds: 5, warmUp: 100 });
const profiles: Profile[] = [];
for (const line of sampleLines({ count: Math.round((count + warmUp) * 3) })) {
  const p = validateProfile(JSON.parse(line));
  if (p.ok && p.value.contact.email && p.value.contact.mobile) profiles.push(p.value);
}
if (profiles.length < count + warmUp) throw new Error(`only ${profiles.length} customers with an email and a mobile`);

const CHANNELS = { email: ["email"], sms: ["sms"] } as const;
type Channel = keyof typeof CHANNELS;

/** A customer's email or SMS, composed by one side. */
async function composition(k: number, profile: Profile, channel: Channel) {
  const { engine, compose } = sides[k];
  const c = await compose(engine, profile, {
    template: "energy-bill",
    channels: [...CHANNELS[channel]],
    runDate: RUN_DATE,
  });
  if (!c.ok) throw new Error(c.problems[0].message);
  return c.value;
}

/** What a customer's composition gave, to compare: the email's parts or the SMS. */
async function composed(k: number, profile: Profile, channel: Channel): Promise<string> {
  const { email, sms } = await composition(k, profile, channel);
  if (channel === "sms") return JSON.stringify(sms ?? null);
  if (!email) throw new Error(`${profile.id}: no email`);
  return [Buffer.from(email.eml).toString("latin1"), email.html, email.text, email.subject, email.preheader].join("\0");
}

const differ: Record<Channel, number> = { email: 0, sms: 0 };
for (const profile of profiles.slice(warmUp, warmUp + count))
  for (const channel of ["email", "sms"] as const)
    if ((await composed(0, profile, channel)) !== (await composed(1, profile, channel))) differ[channel]++;

console.log(`load average at start: ${load()}; outputs that differ: ${differ.email} emails, ${differ.sms} SMS`);
const perRound: Record<Channel, { base: number; self: number; ratio: number }[]> = { email: [], sms: [] };
for (let round = 0; round <= ROUNDS; round++) {
  // Round 0 warms both sides up; each customer is composed by both sides in turn, which first alternating.
  const list = round === 0 ? profiles.slice(0, warmUp) : profiles.slice(warmUp, warmUp + count);
  for (const channel of ["email", "sms"] as const) {
    const spent = [0, 0];
    for (const [i, profile] of list.entries())
      for (const k of (i + round) % 2 === 0 ? [0, 1] : [1, 0]) {
        const t = cpuMs();
        await composition(k, profile, channel);
        spent[k] += cpuMs() - t;
      }
    if (round === 0) continue;
    const [base, self] = spent.map((s) => s / list.length);
    perRound[channel].push({ base, self, ratio: self / base });
  }
  if (round > 0) console.log(`round ${round} done, load average ${load()}`);
}
for (const channel of ["email", "sms"] as const) {
  const rounds = [...perRound[channel]].sort((a, b) => a.ratio - b.ratio);
  const mid = rounds[Math.floor(rounds.length / 2)];
  console.log(
    `${channel}: CPU a compose, the median round: base ${f(mid.base)} ms, this ${f(mid.self)} ms; this / base ` +
      `${f(mid.ratio)} (rounds ${rounds.map((r) => f(r.ratio)).join(", ")})`,
  );
}
console.log(`load average at the end: ${load()}`);
