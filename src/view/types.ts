import type { ChosenItem, Decision } from "../decide/types.ts";
import type { Channel, Language } from "../profile/index.ts";

/** An item's headline and body as one channel shows them. */
export interface ItemWords {
  headline: string;
  body: string;
}

/** The channels whose documents omnidoc renders. */
export type DocumentChannel = "pdf" | "email" | "sms";

/** One channel's link to an item: `${trackBase}/${token}`, the token resolvable from the decision of record. */
export interface TrackedLink {
  token: string;
  url: string;
}

/**
 * A chosen item as every channel shows it: copy plus a tracked link per channel, built once. `print` and
 * `email` are the words of that channel (its own copy from the catalogue, else `headline` and `body`); each
 * channel renderer puts its own in place of `headline` and `body` before its template sees the item.
 */
export interface ViewItem extends Omit<ChosenItem, "copy"> {
  headline: string;
  body: string;
  print: ItemWords;
  email: ItemWords;
  sms?: string;
  /** Where its tracked links redirect (the offer's URL with campaign parameters); never shown in a document. */
  target?: string;
  cta?: { label: string; links: Readonly<Record<DocumentChannel, TrackedLink>> };
}

/** An item as one channel's template sees it: the call to action leads to that channel's tracked link. */
export interface ChannelItem extends Omit<ViewItem, "cta"> {
  cta?: { label: string; url: string };
}

export interface MonthUsage {
  /** `2026-10` */
  month: string;
  /** Short month name in the customer's language. */
  label: string;
  value: number;
}

/** Everything all channels share, computed once per customer. Strings are display-ready for the locale. */
export interface View {
  runDate: string;
  locale: string;
  language: Language;
  currency: string;
  /** UI labels of the template, translated into the customer's language. */
  labels: Record<string, string>;
  customer: {
    id: string;
    /** In the customer's language (`M.`, `Frau`), empty when it has none or the language has no form for it. */
    title: string;
    first: string;
    last: string;
    /** `Dr Chloé van der Berg` */
    fullName: string;
    email?: string;
    mobile?: string;
    address: {
      lines: string[];
      city: string;
      postcode: string;
      country: string;
      /** The address block as posted, a line each, name first, in the destination's format (see postalAddressLines). */
      block: string[];
    };
    segment: string;
    preferredChannels: Channel[];
    marketingConsent: boolean;
  };
  account: {
    number: string;
    statementDate: string;
    periodStart: string;
    periodEnd: string;
    dueDate: string;
    previousBalance: string;
    paymentsReceived: string;
    subtotal: string;
    vat: string;
    /** Absolute value, formatted; `isCredit` says which way. */
    balanceDue: string;
    balanceDueAmount: number;
    isCredit: boolean;
    /** The balance is exactly zero: nothing to pay and nothing in credit. */
    isSettled: boolean;
    directDebit: boolean;
    inArrears: boolean;
    charges: { description: string; quantity: string; unit: string; rate: string; amount: string }[];
  };
  usage: {
    unit: string;
    monthly: MonthUsage[];
    peerAverage: number;
    /**
     * The billed month (the one the period ends in) and what its reading is: above zero (`recorded`), zero, or
     * none at all (`missing`). Only a recorded month is compared with similar homes.
     */
    billed: { month: string; reading: "recorded" | "zero" | "missing" };
    /** One-line summary of the billed month in the customer's language, for every channel and alt text. */
    summary: string;
  };
  links: {
    /** Signed pay link (HMAC over account, amount and expiry). */
    pay: string;
    /** The email's one-click unsubscribe link for marketing content (a token, no personal data). */
    unsubscribe: string;
    /** Its token, which the decision of record resolves to the customer. */
    unsubscribeToken: string;
  };
  offers: { hero?: ViewItem; secondary: ViewItem[]; notices: ViewItem[] };
  decision: Decision;
}
