import type { Language, Profile } from "../../src/profile/index.ts";

/**
 * What a document may say about money, read as its reader reads it: the text of any channel against the
 * account it was written for. The rules are written from the account, not from the templates: a credit is
 * never due, a zero balance never asks for payment, nobody is asked to pay by link when nothing is owed or
 * the Direct Debit collects it, and a balance owed is stated with its amount.
 */

export type Standing = "credit" | "zero" | "owed";

export interface AccountState {
  standing: Standing;
  directDebit: boolean;
  language: Language;
  /** The balance as the customer's locale writes it (absolute value): `£14.82`, `14,82 €`. */
  amount: string;
}

/** Words that say money is owed or ask for it, by language. */
const ASKS: Record<Language, RegExp[]> = {
  en: [
    /\bplease pay\b/i,
    /\bpay now\b/i,
    /\bpay online\b/i,
    /\bpay:/i,
    /\boverdue\b/i,
    /\bbalance due\b/i,
    /\bpayment due\b/i,
    /\bdue (by|on)\b/i,
    /\bamount (to pay|owed)\b/i,
    /\bis owed\b/i,
    /\bin arrears\b/i,
    /\bwill collect\b/i,
  ],
  fr: [
    /merci de régler/i,
    /à régler/i,
    /payer maintenant/i,
    /payer en ligne/i,
    /payer :/i,
    /impayé/i,
    /solde à payer/i,
    /montant (à payer|dû)/i,
    /date d.échéance/i,
    /nous prélèverons|sera prélevée/i,
    /retard de paiement/i,
  ],
  de: [
    /bitte zahlen sie/i,
    /jetzt bezahlen/i,
    /online bezahlen/i,
    /zahlen:/i,
    /fällig/i,
    /offener betrag/i,
    /zu zahlender betrag/i,
    /rückstand/i,
    /per lastschrift ab/i,
    /sind offen/i,
  ],
};

const CREDIT: Record<Language, RegExp> = { en: /\bin credit\b/i, fr: /créditeur|en votre faveur/i, de: /guthaben/i };
const NOTHING_TO_PAY: Record<Language, RegExp> = {
  en: /nothing to pay/i,
  fr: /rien à payer/i,
  de: /nichts zu zahlen/i,
};
const DIRECT_DEBIT: Record<Language, RegExp> = { en: /direct debit/i, fr: /prélev|prélèv/i, de: /lastschrift/i };
/** The signed pay link's host: a link, QR or button that takes money. */
const PAY_LINK = /pay\.northwind-energy\.example/;

/** Spaces as any channel may write them (no-break, narrow no-break, line breaks) made one kind. */
const flat = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, " ");

export function accountState(p: Profile): AccountState {
  const b = p.account.balanceDue;
  return {
    standing: b < 0 ? "credit" : b === 0 ? "zero" : "owed",
    directDebit: p.account.directDebit,
    language: p.preferences.language,
    amount: new Intl.NumberFormat(p.locale, { style: "currency", currency: p.currency }).format(Math.abs(b)),
  };
}

/** Every rule the text breaks, in words; empty when it says nothing the account contradicts. */
export function contradictions(text: string, s: AccountState): string[] {
  const t = flat(text);
  const out: string[] = [];
  // A printed URL may wrap anywhere: looked for with every space taken out.
  const payLink = PAY_LINK.test(t.replace(/\s+/g, ""));
  if (s.standing !== "owed") {
    for (const ask of ASKS[s.language]) {
      const m = ask.exec(t);
      if (m) out.push(`a ${s.standing} balance, yet "${m[0]}"`);
    }
    if (payLink) out.push(`a ${s.standing} balance, yet a pay link`);
  }
  if (s.standing === "credit" && !CREDIT[s.language].test(t)) out.push("a credit balance not called a credit");
  if (s.standing === "zero" && !NOTHING_TO_PAY[s.language].test(t))
    out.push("a zero balance not called nothing to pay");
  if (s.standing === "owed" && s.directDebit) {
    if (payLink) out.push("collected by Direct Debit, yet a pay link");
    if (!DIRECT_DEBIT[s.language].test(t)) out.push("collected by Direct Debit, which the text does not say");
  }
  if (s.standing === "owed" && !s.directDebit && !payLink) out.push("a balance owed with no way to pay it");
  if (s.standing !== "zero" && !t.includes(flat(s.amount))) out.push(`the balance ${s.amount} is not stated`);
  return out;
}
