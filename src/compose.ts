import type { EmailOutput, PdfOutput, SmsOutput } from "./channels/channel.ts";
import { type Problem, type Result, fail, ok, problem } from "./core/index.ts";
import { type AudienceVerdict, type CustomerHistory, type Decision, decide } from "./decide/index.ts";
import type { CompiledTemplate, Engine } from "./engine.ts";
import type { Profile } from "./profile/index.ts";
import type { ChannelName } from "./templates/index.ts";
import { type View, buildView, offerIdsIn } from "./view/index.ts";

export interface ComposeOptions {
  template: string;
  channels: readonly ChannelName[];
  /** The run date (YYYY-MM-DD): compose never reads the clock. */
  runDate: string;
  /** Catalogue items whose run cap is used up; the batch run keeps the counters. */
  capped?: ReadonlySet<string>;
  /** What the relationship remembers of the customer, read by the caller (the archive, the studio's samples). */
  history?: CustomerHistory;
  /**
   * The decision already made for this customer on this run date: the billing run decides every record in
   * input order (caps) before a worker composes it, and the worker renders that decision instead of deciding again.
   */
  decision?: Decision;
  /** Passed to every channel, e.g. `{ pdfa: true }`. */
  channelOptions?: Record<string, unknown>;
}

export interface Composition {
  decision: Decision;
  view: View;
  pdf?: PdfOutput;
  email?: EmailOutput;
  sms?: SmsOutput;
  /** Channels that could not render for this customer (no mobile, SMS over budget…): the others still did. */
  problems: Problem[];
  warnings: Problem[];
}

/** Whether the template is for this customer on the run date; a template without an audience is for everyone. */
export function audienceVerdict(template: CompiledTemplate, profile: Profile, runDate: string): AudienceVerdict {
  return template.audience?.check(profile, runDate) ?? { status: "inside" };
}

/**
 * Why a customer gets no document of this template: outside its audience (the caller skips the customer)
 * or a rule that could not be decided (the caller rejects the record). Names the rule and where it is written.
 */
export function audienceProblem(
  template: CompiledTemplate,
  profile: Profile,
  verdict: Exclude<AudienceVerdict, { status: "inside" }>,
): Problem {
  const { at } = verdict;
  const id = template.pkg.manifest.id;
  return verdict.status === "outside"
    ? problem(
        "OMD_AUDIENCE_OUTSIDE",
        `customer ${profile.id} is outside the audience of ${id}: ${verdict.reason} (rule: ${verdict.rule})`,
        at,
        `${id} is only for customers who meet every rule of its audience in template.yaml`,
      )
    : problem("OMD_AUDIENCE_UNDECIDED", `${id}'s audience rule ${verdict.rule}: ${verdict.reason}`, at);
}

/**
 * The pipeline for one customer: decide once, build one view, render it into each channel asked for.
 * Pure: no I/O, no clock, no randomness. Fails when nothing can be composed: an unknown template, or a
 * customer outside the template's audience (OMD_AUDIENCE_OUTSIDE), whom nothing is composed for.
 */
export async function compose(engine: Engine, profile: Profile, options: ComposeOptions): Promise<Result<Composition>> {
  const template = engine.templates.get(options.template);
  if (!template) {
    const known = [...engine.templates.keys()].join(", ");
    return fail(
      problem("OMD_TEMPLATE_NOT_FOUND", `no template "${options.template}"`, undefined, `loaded templates: ${known}`),
    );
  }
  const verdict = audienceVerdict(template, profile, options.runDate);
  if (verdict.status !== "inside") return fail(audienceProblem(template, profile, verdict));
  const decision =
    options.decision ??
    decide(engine.catalogue, profile, { runDate: options.runDate, capped: options.capped, history: options.history });
  const { locales } = template.pkg;
  const view = buildView({
    profile,
    decision,
    labels: locales[decision.language] ?? locales.en ?? {},
    runDate: options.runDate,
    keys: engine.keys,
    links: engine.links,
    sender: engine.theme.sender,
  });

  // An item whose eligibility could not be decided is left out; the caller hears of it.
  const warnings: Problem[] = decision.trace.flatMap((t) => (t.problem ? [t.problem] : []));
  const composition: Composition = { decision, view, problems: [], warnings };
  const ctx = {
    warnings: { warn: (p: Problem) => warnings.push(p) },
    options: options.channelOptions,
    chartHost: { base: engine.links.chartBase, key: engine.keys.tracking.signing },
  };
  for (const channel of options.channels) {
    const renderer = engine.channels[channel];
    // A caller's mistake, not the template's: it asked for a channel it built the engine without.
    if (!renderer) throw new Error(`the engine was built without the ${channel} channel`);
    const compiled = template.channels[channel];
    if (compiled === undefined) {
      composition.problems.push(
        problem("OMD_CHANNEL_UNKNOWN", `template ${options.template} has no ${channel} channel`),
      );
      continue;
    }
    const out = await renderer.render(compiled, view, ctx);
    if (out.ok) (composition as unknown as Record<ChannelName, unknown>)[channel] = out.value;
    else composition.problems.push(...out.problems);
  }
  return ok(composition);
}

/**
 * The items a channel's document of this composition shows, in slot order: those the channel may carry, and of
 * an SMS only those whose words survived its segment budget. What the archive records each document carried.
 */
export function offersShown(c: Composition, channel: ChannelName): string[] {
  return channel === "sms" ? (c.sms?.offers ?? []) : offerIdsIn(channel, c.view);
}
