import type { Channel, Profile, Segment } from "../profile/types.ts";
import { sampleAccount } from "./account.ts";
import { sampleAddress } from "./addresses.ts";
import { sampleInteractions } from "./interactions.ts";
import type { Market } from "./markets.ts";
import { emailLocalPart, sampleName } from "./names.ts";
import { type Random, randomStream } from "./random.ts";
import { sampleUsage } from "./usage.ts";

const SEGMENTS: readonly (readonly [Segment, number])[] = [
  ["residential", 72],
  ["small-business", 16],
  ["vulnerable", 12],
];
const EMAIL_DOMAINS = ["example.com", "example.net", "example.org"];

/** The customer id of the n-th record (1-based), as the extract numbers them. */
export const customerId = (n: number) => `C${String(n).padStart(7, "0")}`;

function mobileNumber(r: Random, market: Market): string {
  const { code, prefixes, digits } = market.mobile;
  return `+${code}${r.pick(prefixes)}${String(r.int(0, 10 ** digits - 1)).padStart(digits, "0")}`;
}

/** Paper unless the customer went paperless; email and SMS only where there is an address and a number. */
function preferences(r: Random, market: Market, contact: Profile["contact"]): Profile["preferences"] {
  const paperless = contact.email !== undefined && r.chance(0.6);
  const channels: Channel[] = [];
  if (contact.email) channels.push("email");
  if (contact.mobile && r.chance(0.7)) channels.push("sms");
  if (!paperless || channels.length === 0) channels.push("print");
  return { channels, paperless, marketingConsent: r.chance(0.7), language: market.language };
}

/**
 * The customer at `index` (0-based) of the extract made with `seed`, in one of `markets`. A customer draws
 * only from a stream of its own, so the same seed and index give the same customer whatever else is asked.
 */
export function sampleCustomer(seed: number, index: number, markets: readonly Market[]): Profile {
  const r = randomStream(seed, index);
  const market = r.weighted(markets.map((m) => [m, m.share] as const));
  const segment = r.weighted(SEGMENTS);
  const name = sampleName(r, market);
  const address = sampleAddress(r, market, segment);
  const contact: Profile["contact"] = {
    ...(r.chance(0.85) ? { email: `${emailLocalPart(name)}.${index + 1}@${r.pick(EMAIL_DOMAINS)}` } : {}),
    ...(r.chance(0.75) ? { mobile: mobileNumber(r, market) } : {}),
    address,
  };
  const usage = sampleUsage(r, segment);
  const { products, account } = sampleAccount(r, market, segment, usage);
  return {
    id: customerId(index + 1),
    name,
    locale: market.locale,
    currency: market.currency,
    contact,
    preferences: preferences(r, market, contact),
    segment,
    tenureMonths: r.int(0, 240),
    products,
    account,
    usage,
    interactions: sampleInteractions(r, segment, account.inArrears),
  };
}
