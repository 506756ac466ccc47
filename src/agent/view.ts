import type { Archive, ArchivedDocument } from "../archive/index.ts";
import { NO_HISTORY } from "../decide/index.ts";
import { type OffersNow, offersNow } from "../offers/index.ts";
import type { Profile } from "../profile/index.ts";
import { DECISIONS_READ } from "../server/routes/offers.ts";
import { readEmail } from "./email-as-sent.ts";
import { type DeliveryEntry, type TimelineEntry, timeline } from "./timeline.ts";

/** Everything the agent's page shows of one customer. */
export interface CustomerView {
  customerId: string;
  /** Who the customer is by their profile of record, when the archive has one: enough to check the caller. */
  customer?: {
    name: string;
    accountNumber: string;
    channels: string[];
    marketingConsent: boolean;
  };
  /** What to offer now: the offers of the latest decision of record still standing, as the website offers them. */
  offerNow: OffersNow;
  timeline: TimelineEntry[];
  /** Deliveries that did not (or may not have) reached the customer: shown apart too, when there are some. */
  deliveryProblems: DeliveryEntry[];
}

/** The newest entries of each kind the timeline shows: a call needs the recent past, not ten years of bills. */
const LISTED = { limit: 100 };

export async function customerView(archive: Archive, customerId: string, now: Date): Promise<CustomerView> {
  const [documents, interactions, decisions, responses, histories, profile, deliveries] = await Promise.all([
    archive.list(customerId, LISTED),
    archive.interactions(customerId, LISTED),
    // As many as GET …/offers weighs, so offer now and what was withdrawn are the API's answer exactly.
    archive.decisionsOfRecord(customerId, { limit: DECISIONS_READ }),
    archive.responses(customerId, LISTED),
    archive.histories([customerId], now.toISOString()),
    archive.lastProfile(customerId) as Promise<Profile | undefined>,
    archive.deliveries(customerId, LISTED),
  ]);
  const offerNow = offersNow(decisions, histories.get(customerId) ?? NO_HISTORY, now.toISOString().slice(0, 10));
  const entries = timeline({
    documents: await Promise.all(documents.map((d) => withContent(archive, d))),
    interactions,
    decisions,
    responses,
    offersNow: offerNow,
    deliveries,
  });
  return {
    customerId,
    ...(profile && { customer: identity(profile) }),
    offerNow,
    timeline: entries,
    deliveryProblems: entries.filter((e): e is DeliveryEntry => e.kind === "delivery" && e.problem),
  };
}

function identity(p: Profile): NonNullable<CustomerView["customer"]> {
  return {
    name: [p.name?.title, p.name?.first, p.name?.last].filter(Boolean).join(" "),
    accountNumber: p.account?.number ?? "",
    channels: p.preferences?.channels ?? [],
    marketingConsent: p.preferences?.marketingConsent ?? false,
  };
}

/** An email's subject and an SMS's text, read from the bytes sent, so the timeline names them as received. */
async function withContent(
  archive: Archive,
  d: ArchivedDocument,
): Promise<ArchivedDocument & { subject?: string; text?: string }> {
  if (d.channel !== "email" && d.channel !== "sms") return d;
  const found = await archive.get(d.id);
  if (!found) return d;
  if (d.channel === "email") return { ...d, subject: readEmail(found.bytes).subject };
  const sms = JSON.parse(Buffer.from(found.bytes).toString("utf8")) as { text?: unknown };
  return typeof sms.text === "string" ? { ...d, text: sms.text } : d;
}
