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
