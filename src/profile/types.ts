/** A customer profile exactly as a billing extract carries it (see the schema in schema.ts). */
export type Channel = "print" | "email" | "sms";
export type Language = "en" | "fr" | "de";
export type Segment = "residential" | "small-business" | "vulnerable";

export interface Charge {
  description: string;
  quantity: number;
  unit: string;
  rate: number;
  amount: number;
}

export interface Profile {
  id: string;
  name: { title?: string; first: string; last: string };
  locale: string;
  currency: string;
  contact: {
    email?: string;
    mobile?: string;
    address: { lines: string[]; city: string; postcode: string; country: string };
  };
  preferences: {
    channels: Channel[];
    paperless: boolean;
    marketingConsent: boolean;
    language: Language;
    /** An IANA zone (`Europe/Paris`) when the customer's is not their address country's. */
    timeZone?: string;
  };
  segment: Segment;
  tenureMonths: number;
  products: { code: string; name: string }[];
  account: {
    number: string;
    statementDate: string;
    periodStart: string;
    periodEnd: string;
    dueDate: string;
    previousBalance: number;
    paymentsReceived: number;
    charges: Charge[];
    subtotal: number;
    vat: number;
    balanceDue: number;
    directDebit: boolean;
    inArrears: boolean;
  };
  usage: {
    unit: string;
    monthly: { month: string; value: number }[];
    daily: number[];
    peerAverage: number;
  };
  interactions: { date: string; channel: string; topic: string }[];
}
