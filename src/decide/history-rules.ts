import type { CatalogueItem, ContactPolicy, TraceEntry, TraceEvent } from "./types.ts";
import { dayNumber } from "./functions.ts";
import { type CustomerHistory, NO_HISTORY, type OfferResponse, type OptOut, type PastOffer } from "./history.ts";

/** The rules that read the customer's history, in the order a trace reports them (after the static ones). */
export type HistoryRule = "opted-out" | "accepted" | "declined" | "not-now" | "spacing" | "contact-limit";

/** The interaction topic by which a system reports that the customer consented to marketing again. */
export const CONSENT_TOPIC = "marketing-consent";

/** What fired a rule: the record of the history, kept as it is; the words for a trace are written on demand. */
type Finding =
  | { rule: "opted-out"; optOut: OptOut }
  | { rule: "accepted" | "declined" | "not-now"; response: OfferResponse }
  | { rule: "spacing"; offer: PastOffer; days: number }
  | { rule: "contact-limit"; offer: PastOffer; contacts: number };

/**
 * What one customer's history holds against catalogue items on the run date, read once per decision; only a
 * customer with history pays for it. Events after the run date are not yet known. Past offers of the run date
 * itself are left out: they are this run's own decisions of record, and a decision never counts itself.
 * Reading keeps the records that fire a rule; a decision with a trace has them written as reasons, one without
 * never pays for the words.
 */
export class HistoryVerdicts {
  private readonly byOffer = new Map<string, Finding & { response: OfferResponse }>();
  private readonly spacing = new Map<string, Finding & { rule: "spacing" }>();
  private optedOut?: Finding;
  private contacts?: Finding;

  constructor(
    history: CustomerHistory,
    runDate: string,
    private readonly policy: ContactPolicy,
  ) {
    const runDay = dayNumber(runDate);
    const age = (at: string): number => {
      const day = at.slice(0, 10);
      return day > runDate ? -1 : runDay - dayNumber(day);
    };

    const optOut = latestOf(history.optOuts, (o) => age(o.at) >= 0);
    if (optOut) {
      const consentAfter = history.interactions.some(
        (i) => i.topic === CONSENT_TOPIC && age(i.at) >= 0 && Date.parse(i.at) > Date.parse(optOut.at),
      );
      if (!consentAfter) this.optedOut = { rule: "opted-out", optOut };
    }

    // Accepted closes the offer for good; a decline or a not-now keeps it away for its window.
    const windows = {
      accepted: Number.POSITIVE_INFINITY,
      declined: policy.declinedWindowDays,
      "not-now": policy.notNowDays,
    };
    const rank = { accepted: 3, declined: 2, "not-now": 1 };
    for (const r of history.responses) {
      if (r.response === "clicked") continue;
      const days = age(r.at);
      if (days < 0 || days > windows[r.response]) continue;
      const held = this.byOffer.get(r.offerId)?.response;
      const heldRank = held ? rank[held.response as keyof typeof rank] : 0;
      if (heldRank > rank[r.response] || (heldRank === rank[r.response] && held && held.at >= r.at)) continue;
      this.byOffer.set(r.offerId, { rule: r.response, response: r });
    }

    const limit = policy.contactLimit;
    let contacts = 0;
    let latestContact: PastOffer | undefined;
    for (const o of history.offers) {
      const days = age(o.at);
      if (days <= 0) continue; // later than the run date, or the run date's own decisions
      for (const s of policy.spacing) {
        if (s.after !== o.offerId || days > s.days || this.spacing.has(s.offer)) continue;
        this.spacing.set(s.offer, { rule: "spacing", offer: o, days: s.days });
      }
      if (limit && o.marketing && days <= limit.days) {
        contacts += o.channels.length;
        if (!latestContact || o.at > latestContact.at) latestContact = o;
      }
    }
    if (limit && latestContact && contacts >= limit.max)
      this.contacts = { rule: "contact-limit", offer: latestContact, contacts };
  }

  /** Whether a history rule keeps the item from the customer: what a decision without its trace asks. */
  blocks(item: CatalogueItem): boolean {
    return this.finding(item) !== undefined;
  }

  /** The trace entry of the first history rule that keeps the item from the customer, or undefined. */
  against(item: CatalogueItem): TraceEntry | undefined {
    const f = this.finding(item);
    if (f === undefined) return undefined;
    const { reason, event } = this.words(f);
    return { id: item.id, slot: item.slot, chosen: false, rule: f.rule, reason, event };
  }

  private finding(item: CatalogueItem): Finding | undefined {
    if (item.kind === "regulatory") return undefined;
    return (
      (item.marketing ? this.optedOut : undefined) ??
      this.byOffer.get(item.id) ??
      this.spacing.get(item.id) ??
      (item.marketing ? this.contacts : undefined)
    );
  }

  private words(f: Finding): { reason: string; event: TraceEvent } {
    const on = (at: string) => at.slice(0, 10);
    switch (f.rule) {
      case "opted-out": {
        const { at, source, sourceId } = f.optOut;
        return {
          reason: `the customer opted out of marketing on ${on(at)} (${source}) and has not consented since`,
          event: { kind: "opted-out", at, source, sourceId },
        };
      }
      case "spacing":
        return {
          reason: `${f.offer.offerId} was offered on ${on(f.offer.at)}: not within ${f.days} days after it`,
          event: pastOffer(f.offer),
        };
      case "contact-limit": {
        const limit = this.policy.contactLimit as { max: number; days: number };
        const o = f.offer;
        return {
          reason: `${f.contacts} marketing contacts in the last ${limit.days} days (latest ${o.offerId} on ${on(o.at)} by ${o.channels.join(", ")}): at most ${limit.max}`,
          event: pastOffer(o),
        };
      }
      default: {
        const r = f.response;
        const reason =
          r.response === "accepted"
            ? `the customer accepted it on ${on(r.at)} (${r.source}): an accepted offer is not made again`
            : r.response === "declined"
              ? `the customer declined it on ${on(r.at)} (${r.source}): not offered again within ${this.policy.declinedWindowDays} days`
              : `the customer said not now on ${on(r.at)} (${r.source}): not offered again within ${this.policy.notNowDays} days`;
        const event: TraceEvent = {
          kind: f.rule,
          at: r.at,
          source: r.source,
          sourceId: r.sourceId,
          offerId: r.offerId,
        };
        if (r.channel !== undefined) event.channel = r.channel;
        return { reason, event };
      }
    }
  }
}

/** Verdicts for a customer, or undefined when the history holds nothing: no history costs next to nothing. */
export function historyVerdicts(
  history: CustomerHistory | undefined,
  runDate: string,
  policy: ContactPolicy,
): HistoryVerdicts | undefined {
  if (
    history === undefined ||
    history === NO_HISTORY ||
    (history.optOuts.length === 0 && history.responses.length === 0 && history.offers.length === 0)
  )
    return undefined;
  return new HistoryVerdicts(history, runDate, policy);
}

function latestOf<T extends { at: string }>(list: readonly T[], keep: (t: T) => boolean): T | undefined {
  let latest: T | undefined;
  for (const t of list) if (keep(t) && (!latest || Date.parse(t.at) > Date.parse(latest.at))) latest = t;
  return latest;
}

function pastOffer(o: PastOffer): TraceEvent {
  return { kind: "offer", at: o.at, source: "decision", offerId: o.offerId };
}
