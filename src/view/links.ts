import {
  type Result,
  type SigningKey,
  type SigningKeys,
  fail,
  hmacBase64Url,
  ok,
  problem,
  safeEqual,
} from "../core/index.ts";
import type { ChosenItem } from "../decide/types.ts";

/**
 * Links built once per customer for every channel. A pay link carries its claims in the clear and an HMAC over
 * them, so the payment page can trust the amount without a lookup; tracking and unsubscribe links carry only
 * keyed hashes, so nothing in a URL identifies the customer to anyone without the key. Every signature and
 * token is `KID.TAG`: the id of the key that made it, so a rotated-out key still verifies what it signed.
 */

/** How long a pay link stays valid after the due date. */
export const PAY_LINK_GRACE_DAYS = 30;

/** 128 bits of HMAC-SHA256: ample against forgery and short enough to leave room in an SMS. */
const TOKEN_LENGTH = 22;

export interface PayClaims {
  account: string;
  /** Amount in minor units (pence, cents). */
  amount: number;
  currency: string;
  /** Last valid day, ISO `YYYY-MM-DD`. */
  expires: string;
}

function payMessage(kid: string, c: PayClaims): string {
  return `pay|${kid}|${c.account}|${c.amount}|${c.currency}|${c.expires}`;
}

function tag(key: SigningKey, message: string): string {
  return hmacBase64Url(key.secret, message).slice(0, TOKEN_LENGTH);
}

/** `KID.TAG`, the key id in the clear so that the verifier knows which of its keys to check with. */
function signed(key: SigningKey, message: (kid: string) => string): string {
  return `${key.kid}.${tag(key, message(key.kid))}`;
}

/** Whether `value` is `KID.TAG` made by one of `keys` over `message`; an unknown key id never verifies. */
function verifies(value: string, keys: SigningKeys, message: (kid: string) => string): boolean {
  const dot = value.lastIndexOf(".");
  const key = keys.all.find((k) => k.kid === value.slice(0, dot));
  return dot > 0 && key !== undefined && safeEqual(value.slice(dot + 1), tag(key, message(key.kid)));
}

export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** `https://pay.example/p?a=72704936&m=13014&c=EUR&e=2026-12-22&s=KID.TAG`, signed with the ring's signing key. */
export function signPayLink(base: string, claims: PayClaims, key: SigningKey): string {
  // Built as a string: a URL object costs more than the HMAC, and this runs for every customer.
  const q = [
    ["a", claims.account],
    ["m", String(claims.amount)],
    ["c", claims.currency],
    ["e", claims.expires],
    ["s", signed(key, (kid) => payMessage(kid, claims))],
  ]
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join("&");
  return `${base}${base.includes("?") ? "&" : "?"}${q}`;
}

/**
 * Checks a pay link: its signature is by one of `keys` (the current one or one rotated out but still listed)
 * and matches its claims (else tampered), and `now` is not past its last day.
 */
export function verifyLink(link: string, keys: SigningKeys, now: Date): Result<PayClaims> {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return fail(problem("OMD_LINK_TAMPERED", "the pay link is not a URL"));
  }
  const q = url.searchParams;
  const [account, amount, currency, expires, sig] = ["a", "m", "c", "e", "s"].map((n) => q.get(n));
  if (!account || !amount || !/^-?\d+$/.test(amount) || !currency || !expires || !sig) {
    return fail(problem("OMD_LINK_TAMPERED", "the pay link lacks one of its signed fields (a, m, c, e, s)"));
  }
  const claims: PayClaims = { account, amount: Number(amount), currency, expires };
  if (!verifies(sig, keys, (kid) => payMessage(kid, claims))) {
    return fail(
      problem(
        "OMD_LINK_TAMPERED",
        "the pay link's signature does not match its account, amount or expiry, or names no key this side holds",
      ),
    );
  }
  if (now.toISOString().slice(0, 10) > expires) {
    return fail(problem("OMD_LINK_EXPIRED", `the pay link expired after ${expires}`));
  }
  return ok(claims);
}

export type TokenPurpose = "cid" | "unsubscribe";

/** The keyed hash that stands for a customer in tracking parameters; `purpose` keeps uses unlinkable. */
export function customerToken(customerId: string, key: SigningKey, purpose: TokenPurpose): string {
  return signed(key, (kid) => `${purpose}|${kid}|${customerId}`);
}

/** Whether a token from a tracked or unsubscribe link stands for this customer, by any key of the ring. */
export function verifyCustomerToken(
  token: string,
  customerId: string,
  keys: SigningKeys,
  purpose: TokenPurpose,
): boolean {
  return verifies(token, keys, (kid) => `${purpose}|${kid}|${customerId}`);
}

/**
 * An offer's call-to-action URL with campaign parameters (the item, its A/B variant and the keyed customer
 * token): where its tracked links redirect. It is kept in the decision of record, never put in a document.
 */
export function trackOfferLink(target: string, item: Pick<ChosenItem, "id" | "experiment">, cid: string): string {
  const url = new URL(target);
  url.searchParams.set("utm_source", "omnidoc");
  url.searchParams.set("utm_campaign", item.id);
  if (item.experiment) url.searchParams.set("utm_content", item.experiment.variant);
  url.searchParams.set("cid", cid);
  return url.toString();
}

/**
 * The token of a delivery-report callback: a keyed hash of the outbox's delivery id, so that a report posted by
 * anyone but the gateway names no delivery. Made with the tracking ring, like every token of omnidoc's routes.
 */
export function deliveryToken(deliveryId: string, key: SigningKey): string {
  return signed(key, (kid) => `delivery|${kid}|${deliveryId}`);
}

export function verifyDeliveryToken(token: string, deliveryId: string, keys: SigningKeys): boolean {
  return verifies(token, keys, (kid) => `delivery|${kid}|${deliveryId}`);
}

/**
 * The signature of a hosted chart's token over its payload (the chart's own data, encoded by the email channel),
 * made with the tracking ring: whoever holds the URL sees the usage figures the email shows, nothing more.
 */
export function chartSignature(payload: string, key: SigningKey): string {
  return signed(key, (kid) => `chart|${kid}|${payload}`);
}

export function verifyChartSignature(signature: string, payload: string, keys: SigningKeys): boolean {
  return verifies(signature, keys, (kid) => `chart|${kid}|${payload}`);
}

/** What a tracked or unsubscribe link stands for; the decision of record resolves its token back to these. */
export interface LinkClaims {
  purpose: "offer" | "unsubscribe";
  customerId: string;
  /** The offer an `offer` link leads to. */
  offerId?: string;
  /** The channel whose document carries the link: each has its own token, so a click says where it came from. */
  channel: string;
  runDate: string;
}

/**
 * The token of one link: `KID.TAG`, a keyed hash of its claims. Pure, so a local and a distributed run put the
 * same bytes in a document; opaque, so the URL tells nobody without the key who it was made for.
 */
export function linkToken(c: LinkClaims, key: SigningKey): string {
  return signed(key, (kid) => `link|${c.purpose}|${kid}|${c.customerId}|${c.offerId ?? ""}|${c.channel}|${c.runDate}`);
}

/** `${trackBase}/${token}`: omnidoc's own redirect, which records the click and sends the reader to the offer. */
export function trackedLink(trackBase: string, token: string): string {
  return `${trackBase.replace(/\/+$/, "")}/${token}`;
}

export function unsubscribeLink(base: string, token: string): string {
  const url = new URL(base);
  url.searchParams.set("t", token);
  return url.toString();
}
