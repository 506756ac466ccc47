import type { SigningKey, SigningKeys } from "../core/index.ts";
import { deliveryToken, verifyDeliveryToken } from "../view/index.ts";

/**
 * The bounce address (VERP): the envelope sender of every email is `bounces+<deliveryId>@<bounce domain>`, so
 * a delivery status notification, which goes back to the envelope sender, names the delivery it is about.
 */

/** What a delivery id may hold to sit in an address's local part and in an envelope id unchanged. */
const DELIVERY_ID = /^[A-Za-z0-9._-]+$/;

export const isDeliveryId = (id: string): boolean => DELIVERY_ID.test(id);

/** The bounce address of a delivery, or undefined when the id cannot sit in an address. */
export function bounceAddress(deliveryId: string, domain: string): string | undefined {
  return isDeliveryId(deliveryId) ? `bounces+${deliveryId}@${domain}` : undefined;
}

/** The delivery a bounce address names; `domain`, when given, must be its domain (in any case). */
export function deliveryIdOf(address: string, domain?: string): string | undefined {
  const bare = address.trim().replace(/^<|>$/g, "");
  const at = bare.lastIndexOf("@");
  if (at < 0 || !bare.startsWith("bounces+")) return undefined;
  if (domain !== undefined && bare.slice(at + 1).toLowerCase() !== domain.toLowerCase()) return undefined;
  const id = bare.slice("bounces+".length, at);
  return isDeliveryId(id) ? id : undefined;
}

/**
 * A delivery id with a keyed tag, `<id>.<kid>.<tag>`: what the bounce address and the envelope id carry, so that
 * only a bounce of a message we sent can stop email to an address (a delivery id alone can be worked out).
 */
export const signedDeliveryId = (id: string, key: SigningKey): string => `${id}.${deliveryToken(id, key)}`;

/** The delivery id of a signed one whose tag a key of the ring made; undefined for anything else. */
export function verifiedDeliveryId(signed: string, keys: SigningKeys): string | undefined {
  const first = signed.indexOf(".");
  if (first < 0) return undefined;
  const id = signed.slice(0, first);
  return verifyDeliveryToken(signed.slice(first + 1), id, keys) ? id : undefined;
}
