import { getCountry } from "countries-and-timezones";
import type { Profile } from "../profile/index.ts";

/** Where a customer's clock was taken from, for the plan's reasons. */
export interface CustomerZone {
  zone: string;
  from: "profile" | "country" | "catalogue";
}

/**
 * The customer's zone: the one their preferences name, else their address country's when it has only one (GB,
 * FR; not DE, which also lists Büsingen's, nor the US), else the catalogue's.
 */
export function customerZone(profile: Profile, catalogueZone: string): CustomerZone {
  const own = profile.preferences.timeZone;
  if (own !== undefined) return { zone: own, from: "profile" };
  const zones = getCountry(profile.contact.address.country)?.timezones ?? [];
  if (zones.length === 1) return { zone: zones[0], from: "country" };
  return { zone: catalogueZone, from: "catalogue" };
}
