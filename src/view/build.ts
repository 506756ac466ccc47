import type { SigningKeys } from "../core/index.ts";
import type { ChosenItem, Decision } from "../decide/types.ts";
import type { Profile } from "../profile/index.ts";
import { formatters, toMinorUnits } from "./format.ts";
import { DOCUMENT_CHANNELS } from "./channel-items.ts";
import {
  PAY_LINK_GRACE_DAYS,
  addDays,
  customerToken,
  linkToken,
  signPayLink,
  trackOfferLink,
  trackedLink,
  unsubscribeLink,
} from "./links.ts";
import { type Sender, postalAddressLines } from "./postal-address.ts";
import type { DocumentChannel, TrackedLink, View, ViewItem } from "./types.ts";
import { localTitle } from "./titles.ts";
import { usageView } from "./usage.ts";

/** The rings of signing keys: pay links, and the customer tokens of tracked and unsubscribe links. */
export interface LinkKeys {
  link: SigningKeys;
  tracking: SigningKeys;
}

export interface ViewInput {
  profile: Profile;
  decision: Decision;
  /** The template's labels, already in the customer's language. */
  labels: Record<string, string>;
  runDate: string;
  /** The keys that sign pay links and customer tokens; each ring's signing key is used. */
  keys: LinkKeys;
  /** Bases of the pay, unsubscribe and tracked links (`trackBase`: omnidoc's own `GET /r/{token}`). */
  links: { payBase: string; unsubscribeBase: string; trackBase: string };
  /** Where the mail is posted from: decides the domestic format and the language of country names. */
  sender: Sender;
}

/** Makes the tracked links of one customer's items: a token per item and channel. */
type Tracker = (offerId: string) => Record<DocumentChannel, TrackedLink>;

function viewItem(item: ChosenItem, cid: string, track: Tracker): ViewItem {
  const { copy, ...rest } = item;
  const words = { headline: copy.headline, body: copy.body };
  const v: ViewItem = {
    ...rest,
    ...words,
    print: { ...words, ...copy.print },
    email: { ...words, ...copy.email },
  };
  if (copy.sms !== undefined) v.sms = copy.sms;
  if (copy.cta) {
    v.target = trackOfferLink(copy.cta.url, item, cid);
    v.cta = { label: copy.cta.label, links: track(item.id) };
  }
  return v;
}

/**
 * Everything the channels share for one customer, computed once: display strings for the locale, the chosen
 * items with tracked links, and the signed pay link. Pure: same input, same view. Strings are plain text;
 * each channel escapes them for its own format.
 */
export function buildView(input: ViewInput): View {
  const { profile: p, decision, labels, runDate, keys, links, sender } = input;
  const f = formatters(p.locale, p.currency, p.preferences.language);
  const a = p.account;
  const isCredit = a.balanceDue < 0;
  const pay = signPayLink(
    links.payBase,
    {
      account: a.number,
      amount: isCredit ? 0 : toMinorUnits(a.balanceDue, f.minorDigits),
      currency: p.currency,
      expires: addDays(a.dueDate, PAY_LINK_GRACE_DAYS),
    },
    keys.link.signing,
  );
  const cid = customerToken(p.id, keys.tracking.signing, "cid");
  const key = keys.tracking.signing;
  const link = (channel: DocumentChannel, offerId: string): TrackedLink => {
    const token = linkToken({ purpose: "offer", customerId: p.id, offerId, channel, runDate }, key);
    return { token, url: trackedLink(links.trackBase, token) };
  };
  const track: Tracker = (offerId) =>
    Object.fromEntries(DOCUMENT_CHANNELS.map((ch) => [ch, link(ch, offerId)])) as Record<DocumentChannel, TrackedLink>;
  const unsubscribeToken = linkToken({ purpose: "unsubscribe", customerId: p.id, channel: "email", runDate }, key);
  const name = p.name;
  const title = localTitle(name.title, p.preferences.language);
  const fullName = [title, name.first, name.last].filter(Boolean).join(" ");
  return {
    runDate,
    locale: p.locale,
    language: p.preferences.language,
    currency: p.currency,
    labels,
    customer: {
      id: p.id,
      title,
      first: name.first,
      last: name.last,
      fullName,
      ...(p.contact.email ? { email: p.contact.email } : {}),
      ...(p.contact.mobile ? { mobile: p.contact.mobile } : {}),
      address: {
        ...p.contact.address,
        lines: [...p.contact.address.lines],
        block: postalAddressLines(fullName, p.contact.address, sender),
      },
      segment: p.segment,
      preferredChannels: [...p.preferences.channels],
      marketingConsent: p.preferences.marketingConsent,
    },
    account: {
      number: a.number,
      statementDate: f.date(a.statementDate),
      periodStart: f.date(a.periodStart),
      periodEnd: f.date(a.periodEnd),
      dueDate: f.date(a.dueDate),
      previousBalance: f.money(a.previousBalance),
      paymentsReceived: f.money(a.paymentsReceived),
      subtotal: f.money(a.subtotal),
      vat: f.money(a.vat),
      balanceDue: f.money(Math.abs(a.balanceDue)),
      balanceDueAmount: a.balanceDue,
      isCredit,
      isSettled: a.balanceDue === 0,
      directDebit: a.directDebit,
      inArrears: a.inArrears,
      charges: a.charges.map((c) => ({
        description: c.description,
        quantity: f.number(c.quantity),
        unit: c.unit,
        rate: f.rate(c.rate),
        amount: f.money(c.amount),
      })),
    },
    usage: usageView(p.usage, f, labels, a.periodEnd),
    links: { pay, unsubscribe: unsubscribeLink(links.unsubscribeBase, unsubscribeToken), unsubscribeToken },
    offers: {
      hero: decision.slots.hero[0] ? viewItem(decision.slots.hero[0], cid, track) : undefined,
      secondary: decision.slots.secondary.map((i) => viewItem(i, cid, track)),
      notices: decision.slots.notice.map((i) => viewItem(i, cid, track)),
    },
    decision,
  };
}
