import { formatAddress } from "localized-address-format";
import { languageOf } from "../core/index.ts";
import type { Profile } from "../profile/index.ts";

/** Who posts the mail: the country it leaves from, and the language its country names are written in. */
export interface Sender {
  /** ISO 3166-1 alpha-2, e.g. `GB`. */
  country: string;
  /** BCP 47 language, e.g. `en`. */
  language: string;
}

/**
 * Destinations whose post asks for the locality in capitals on domestic mail too: Royal Mail wants the post
 * town in capitals (PAF), La Poste the locality of the last line (NF Z10-011). Elsewhere a domestic letter
 * keeps the locality as written (Deutsche Post: `10115 Berlin`).
 */
const LOCALITY_IN_CAPITALS = new Set(["GB", "FR"]);

/**
 * The address block as the post reads it, one string a line, name first: the lines in the destination
 * country's order (Google's libaddressinput formats: `LEEDS` then `LS1 4AB` on a line of its own in Britain,
 * `75008 PARIS` in France, `10115 Berlin` in Germany), postcodes in capitals, and for mail abroad the
 * locality and then the country's name in capitals, in the sender's language, on the last line (UPU
 * Convention; S42). Domestic mail has no country line.
 */
export function postalAddressLines(name: string, address: Profile["contact"]["address"], sender: Sender): string[] {
  const abroad = address.country !== sender.country;
  const capitals = abroad || LOCALITY_IN_CAPITALS.has(address.country);
  const destinationLanguage = languageOf(address.country);
  const lines = formatAddress({
    postalCountry: address.country,
    name,
    addressLines: address.lines,
    locality: capitals ? address.city.toLocaleUpperCase(destinationLanguage) : address.city,
    postalCode: address.postcode.toUpperCase(),
  });
  if (!abroad) return lines;
  const country = new Intl.DisplayNames(sender.language, { type: "region" }).of(address.country) ?? address.country;
  return [...lines, country.toLocaleUpperCase(sender.language)];
}
