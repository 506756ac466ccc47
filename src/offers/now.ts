import type { CustomerHistory } from "../decide/index.ts";

/**
 * What the call centre and the website should offer a customer now: the offers of the latest decision of
 * record that still stand, and every other offer of record with the event that withdrew it. A pure function
 * of the decisions, the history since and today's date, so a test can hold the clock.
 */

/** One item of a decision of record, as the archive keeps it (the fields this reads). */
export interface ItemOfRecord {
  offerId: string;
  kind: string;
  slot: string;
  priority: number;
  marketing: boolean;
  /** Validity, ISO `YYYY-MM-DD`, both days included. */
  validFrom?: string;
  validTo?: string;
  experiment?: { id: string; variant: string };
  /** Place in slot order. */
  position: number;
  /** The channels whose documents carried it, and those documents, in the same order. */
  channels: readonly string[];
  documentIds: readonly string[];
}

export interface DecisionOfRecordSummary {
  id: string;
  runId: string;
  template: string;
  runDate: string;
  /** When it was made (UTC timestamp): events at or after it happened since. */
  created: string;
  items: readonly ItemOfRecord[];
}

export interface OfferNow {
  offerId: string;
  decisionId: string;
  kind: string;
  slot: string;
  priority: number;
  marketing: boolean;
  validFrom?: string;
  validTo?: string;
  experiment?: { id: string; variant: string };
  /** The documents that carried it. */
  documents: { id: string; channel: string }[];
}

export type WithdrawalReason = "expired" | "not-yet-valid" | "complaint" | "response" | "opted-out" | "superseded";

/** What withdrew an offer: when, and what names it in the system it came from. */
export interface WithdrawalEvent {
  kind: WithdrawalReason;
  at: string;
  source?: string;
  sourceId?: string;
  /** For `response`: accepted, declined or not-now. */
  response?: string;
  /** For `complaint`: the channel it came by. */
  channel?: string;
  /** For `superseded`: the newer decision. */
  decisionId?: string;
}

export interface WithdrawnOffer extends OfferNow {
  reason: WithdrawalReason;
  /** Words for an agent: why it is not offered. */
  explanation: string;
  event: WithdrawalEvent;
}

export interface OffersNow {
  /** The latest decision of record, which `offers` come from; absent when the customer has none. */
  decision?: { id: string; runId: string; template: string; runDate: string; created: string };
  /** Still standing, in slot order. */
  offers: OfferNow[];
  /** Every other offer of record once (its newest decision), with the first event that withdrew it. */
  withdrawn: WithdrawnOffer[];
}

/** Responses that close an offer; a click does not. */
const CLOSING = new Set(["accepted", "declined", "not-now"]);

/** The topic under which any system reports a complaint (as `complainedWithin` reads interactions). */
const COMPLAINT = "complaint";

/**
 * @param decisions the customer's decisions of record, newest first
 * @param history everything recorded up to now (newest first or in any order)
 * @param today the day the answer is for, `YYYY-MM-DD` (UTC)
 */
export function offersNow(
  decisions: readonly DecisionOfRecordSummary[],
  history: Pick<CustomerHistory, "interactions" | "responses" | "optOuts">,
  today: string,
): OffersNow {
  const [latest, ...older] = decisions;
  if (!latest) return { offers: [], withdrawn: [] };
  const offers: OfferNow[] = [];
  const withdrawn: WithdrawnOffer[] = [];
  const seen = new Set<string>();
  for (const item of [...latest.items].sort((a, b) => a.position - b.position)) {
    seen.add(item.offerId);
    const event = firstWithdrawal(item, latest, history, today);
    if (event) withdrawn.push(withdrawal(offer(item, latest), event));
    else offers.push(offer(item, latest));
  }
  const superseding: WithdrawalEvent = { kind: "superseded", at: latest.created, decisionId: latest.id };
  for (const d of older)
    for (const item of [...d.items].sort((a, b) => a.position - b.position)) {
      if (seen.has(item.offerId)) continue;
      seen.add(item.offerId);
      const event = firstWithdrawal(item, d, history, today, superseding) as WithdrawalEvent;
      withdrawn.push(withdrawal(offer(item, d), event));
    }
  const { id, runId, template, runDate, created } = latest;
  return { decision: { id, runId, template, runDate, created }, offers, withdrawn };
}

function offer(item: ItemOfRecord, d: DecisionOfRecordSummary): OfferNow {
  return {
    offerId: item.offerId,
    decisionId: d.id,
    kind: item.kind,
    slot: item.slot,
    priority: item.priority,
    marketing: item.marketing,
    ...(item.validFrom !== undefined && { validFrom: item.validFrom }),
    ...(item.validTo !== undefined && { validTo: item.validTo }),
    ...(item.experiment && { experiment: { ...item.experiment } }),
    documents: item.documentIds.map((id, i) => ({ id, channel: item.channels[i] })),
  };
}

/**
 * The earliest event since the decision that withdrew the item, or undefined while it stands. Expiry counts
 * from the first day past `validTo`; a complaint withdraws sales offers (kind `offer`), as the contact policy
 * stops them; an accepted, declined or not-now response closes its own offer; an opt-out withdraws marketing.
 */
function firstWithdrawal(
  item: ItemOfRecord,
  d: DecisionOfRecordSummary,
  history: Pick<CustomerHistory, "interactions" | "responses" | "optOuts">,
  today: string,
  also?: WithdrawalEvent,
): WithdrawalEvent | undefined {
  const since = Date.parse(d.created);
  const after = (at: string) => Date.parse(at) >= since;
  const events: WithdrawalEvent[] = [];
  if (item.validTo !== undefined && today > item.validTo)
    events.push({ kind: "expired", at: `${nextDay(item.validTo)}T00:00:00.000Z` });
  if (item.kind === "offer")
    for (const i of history.interactions)
      if (i.topic === COMPLAINT && after(i.at))
        events.push({ kind: "complaint", at: i.at, source: i.source, sourceId: i.sourceId, channel: i.channel });
  for (const r of history.responses)
    if (r.offerId === item.offerId && CLOSING.has(r.response) && after(r.at))
      events.push({ kind: "response", at: r.at, source: r.source, sourceId: r.sourceId, response: r.response });
  if (item.marketing)
    for (const o of history.optOuts)
      if (after(o.at)) events.push({ kind: "opted-out", at: o.at, source: o.source, sourceId: o.sourceId });
  // Last, so that an event of its own at the same instant (expiry at midnight) names why it ended.
  if (also) events.push(also);
  const first = events.reduce<WithdrawalEvent | undefined>(
    (a, e) => (a === undefined || Date.parse(e.at) < Date.parse(a.at) ? e : a),
    undefined,
  );
  if (first) return first;
  // Not withdrawn, and not in force yet: a run dated ahead, read before its offers start.
  if (item.validFrom !== undefined && today < item.validFrom)
    return { kind: "not-yet-valid", at: `${item.validFrom}T00:00:00.000Z` };
  return undefined;
}

function withdrawal(o: OfferNow, event: WithdrawalEvent): WithdrawnOffer {
  return { ...o, reason: event.kind, explanation: explain(event), event };
}

function explain(e: WithdrawalEvent): string {
  const day = e.at.slice(0, 10);
  const from = e.source ? ` (${e.source} ${e.sourceId})` : "";
  switch (e.kind) {
    case "expired":
      return `expired: valid until ${nextDay(day, -1)}`;
    case "not-yet-valid":
      return `not valid before ${day}`;
    case "complaint":
      return `a complaint by ${e.channel} on ${day}${from}: no sales offer after a complaint`;
    case "response":
      return `the customer answered ${e.response} on ${day}${from}`;
    case "opted-out":
      return `the customer opted out of marketing on ${day}${from}`;
    case "superseded":
      return `a newer decision (${day}) no longer makes it`;
  }
}

function nextDay(iso: string, days = 1): string {
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
