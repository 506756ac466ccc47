import { audienceProblem, audienceVerdict } from "../compose.ts";
import { type Problem, type Result, problem } from "../core/index.ts";
import { type CustomerHistory, type Decision, decide } from "../decide/index.ts";
import type { Engine } from "../engine.ts";
import type { Profile } from "../profile/index.ts";
import type { ChannelName } from "../templates/index.ts";
import type { CapLedger } from "./caps.ts";
import { cappedOf, offersOf } from "./decision.ts";
import { entryProblem } from "./problems.ts";
import { route } from "./routing.ts";
import type { RunSettings } from "./settings.ts";
import type { InputRecord } from "./source.ts";
import { toMinor } from "./totals.ts";
import type { ComposeResult, ManifestEntry } from "./types.ts";

/** What the main thread knows of a record once it is decided: the entry, less what the worker adds. */
export type Pending = Omit<ManifestEntry, "files" | "pages" | "channels" | "problems">;

/**
 * Decides one record, read and validated, in input order, on the customer's history as the run read it
 * (histories.ts). A record that cannot be composed is done here; one that can is counted against the caps now,
 * so the caps never depend on which worker finishes first.
 */
export function decideRecord(
  rec: InputRecord,
  read: Result<Profile>,
  engine: Engine,
  settings: RunSettings,
  ledger: CapLedger,
  seen: Set<string>,
  history: CustomerHistory,
): { entry: ManifestEntry } | { pending: Pending; profile: Profile; channels: ChannelName[]; decision: Decision } {
  const nothing = { channels: [], print: false, files: [], pages: 0, offers: [], capped: [], problems: [] };
  const balance = read.ok ? balanceOf(read.value) : {};
  const rejected = (id: string | undefined, problems: Problem[]): { entry: ManifestEntry } => ({
    entry: {
      record: rec.record,
      line: rec.line,
      source: rec.source(),
      id,
      status: "rejected",
      ...balance,
      ...nothing,
      problems: problems.map((p) => entryProblem(p)),
    },
  });
  if (!read.ok) {
    const id = rec.id();
    if (id !== undefined) seen.add(id);
    return rejected(id, read.problems);
  }
  const profile = read.value;
  if (seen.has(profile.id)) {
    const why = `id ${profile.id} was already used by an earlier record`;
    return rejected(profile.id, [problem("OMD_INPUT_DUPLICATE_ID", why, `line ${rec.line} /id`)]);
  }
  seen.add(profile.id);
  // Outside the template's audience: skipped before deciding, so it takes no capped offer from anyone.
  const template = engine.templates.get(settings.template);
  const verdict = template ? audienceVerdict(template, profile, settings.runDate) : { status: "inside" as const };
  if (verdict.status === "undecided" && template)
    return rejected(profile.id, [{ ...audienceProblem(template, profile, verdict), at: `line ${rec.line}` }]);
  if (verdict.status === "outside") {
    const { reason, rule } = verdict;
    return {
      entry: {
        record: rec.record,
        line: rec.line,
        source: rec.source(),
        id: profile.id,
        status: "skipped",
        reason,
        rule,
        ...balance,
        ...nothing,
      },
    };
  }
  const r = route(profile, settings.channels);
  let decision: ReturnType<typeof decide>;
  try {
    decision = decide(engine.catalogue, profile, { runDate: settings.runDate, capped: ledger.capped, history });
  } catch (err) {
    const why = `deciding for ${profile.id} threw: ${(err as Error).message}`;
    return rejected(profile.id, [problem("OMD_BATCH_COMPOSE_FAILED", why, `line ${rec.line}`)]);
  }
  const offers = offersOf(decision);
  const capped = cappedOf(decision);
  ledger.count(offers, capped);
  const pending: Pending = {
    record: rec.record,
    line: rec.line,
    source: rec.source(),
    id: profile.id,
    status: "composed",
    print: r.print,
    postcode: r.print ? profile.contact.address.postcode : undefined,
    ...balance,
    offers,
    capped,
  };
  return { pending, profile, channels: r.channels, decision };
}

/** The manifest entry of a composed record: what the main thread decided, and what the worker wrote. */
export function finish(pending: Pending, result: ComposeResult): ManifestEntry {
  const print = result.ok && pending.print && result.channels.includes("pdf");
  return {
    record: pending.record,
    line: pending.line,
    source: pending.source,
    id: pending.id,
    status: result.ok ? "composed" : "rejected",
    channels: result.channels,
    print,
    postcode: print ? pending.postcode : undefined,
    currency: pending.currency,
    balanceDueMinor: pending.balanceDueMinor,
    files: result.files,
    pages: result.pages,
    offers: pending.offers,
    capped: pending.capped,
    problems: result.problems,
  };
}

/** A valid profile's currency and balance due in its minor unit, as entries and the extract's totals keep them. */
export function balanceOf(profile: Profile): { currency: string; balanceDueMinor: number } {
  return { currency: profile.currency, balanceDueMinor: toMinor(profile.account.balanceDue, profile.currency) };
}
