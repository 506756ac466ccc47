import type { ChosenItem, Decision } from "../decide/types.ts";
import type { Channel, Language } from "../profile/index.ts";

/** A chosen item as every channel shows it: copy plus the tracked link built once for all channels. */
export interface ViewItem extends Omit<ChosenItem, "copy"> {
  headline: string;
  body: string;
  sms?: string;
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
    directDebit: boolean;
    inArrears: boolean;
    charges: { description: string; quantity: string; unit: string; rate: string; amount: string }[];
  };
  usage: {
    unit: string;
    monthly: MonthUsage[];
    peerAverage: number;
    /** One-line summary in the customer's language, for SMS and alt text. */
    summary: string;
  };
  links: {
    /** Signed pay link (HMAC over account, amount and expiry). */
    pay: string;
    /** Unsubscribe link for marketing content (keyed hash of the customer, no personal data). */
    unsubscribe: string;
  };
  offers: { hero?: ViewItem; secondary: ViewItem[]; notices: ViewItem[] };
  decision: Decision;
}
