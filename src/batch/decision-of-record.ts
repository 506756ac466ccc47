import type { DecisionInput, DecisionItemInput, LinkToken } from "../archive/index.ts";
import type { Composition } from "../compose.ts";
import type { Engine } from "../engine.ts";
import { type DocumentChannel, type ViewItem, shows } from "../view/index.ts";

export interface Composed {
  runId: string;
  template: string;
  /** When it was made: the run date for a billing run, the clock for an API request. */
  created: string;
  /** The channels whose documents are archived with it: only their links' tokens are recorded. */
  channels: readonly DocumentChannel[];
}

/**
 * The decision of record of one composition, as the billing run and the API archive it with its documents:
 * the chosen items in slot order with their validity and where their links redirect, the trace summary, and
 * the token of every link those documents carry.
 */
export function decisionOfRecord(engine: Engine, c: Composition, at: Composed): DecisionInput {
  const { decision, view } = c;
  const chosen = [view.offers.hero, ...view.offers.secondary, ...view.offers.notices].filter(
    (i): i is ViewItem => i !== undefined,
  );
  const valid = new Map(engine.catalogue.items.map((i) => [i.id, i.valid]));
  const items: DecisionItemInput[] = chosen.map((i) => {
    const { from, to } = valid.get(i.id) ?? {};
    return {
      offerId: i.id,
      kind: i.kind,
      slot: i.slot,
      priority: i.priority,
      marketing: i.marketing,
      ...(from !== undefined && { validFrom: from }),
      ...(to !== undefined && { validTo: to }),
      ...(i.experiment && { experiment: { ...i.experiment } }),
      ...(i.target !== undefined && { target: i.target }),
    };
  });
  const links: LinkToken[] = chosen.flatMap((i) =>
    at.channels
      .filter((channel) => i.cta && shows(channel, i, view))
      .map((channel) => ({ token: i.cta!.links[channel].token, purpose: "offer" as const, channel, offerId: i.id })),
  );
  if (at.channels.includes("email"))
    links.push({ token: view.links.unsubscribeToken, purpose: "unsubscribe", channel: "email" });
  return {
    customerId: decision.customerId,
    runId: at.runId,
    template: at.template,
    templateVersion: engine.templates.get(at.template)?.pkg.manifest.version ?? "",
    runDate: decision.runDate,
    created: at.created,
    items,
    // The trace's own fields, and the history event that fired a rule when the decision names one.
    trace: decision.trace.map(({ id, slot, chosen, rule, reason, ...more }) => ({
      id,
      slot,
      chosen,
      rule,
      reason,
      ...("event" in more && more.event ? { event: { ...(more.event as object) } } : {}),
    })),
    links,
  };
}
