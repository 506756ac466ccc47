import type { Profile, Segment } from "../profile/types.ts";
import type { Market } from "./markets.ts";
import type { Random } from "./random.ts";

type Address = Profile["contact"]["address"];

interface Country {
  /** City, and the postcode of one of its streets. */
  cities: readonly (readonly [string, (r: Random) => string])[];
  streets: readonly string[];
  street(r: Random, name: string): string;
  /** A flat, floor or building line that goes before the street in the country's order. */
  homeExtras: readonly string[];
  businessExtras: readonly string[];
  /** Lines of 80 characters and more, as business parks and large estates have: they must wrap, not overflow. */
  long: readonly string[];
}

const GB_LETTERS = "ABDEFGHJLNPQRSTUWXYZ";
const EIRCODE = "ACDEFHKNPRTVWXY0123456789";
const chars = (r: Random, from: string, n: number) =>
  Array.from({ length: n }, () => from[Math.floor(r.next() * from.length)]).join("");
const ukPostcode = (area: string) => (r: Random) => `${area}${r.int(1, 20)} ${r.int(1, 9)}${chars(r, GB_LETTERS, 2)}`;
const eircode = (key: string) => (r: Random) => `${key} ${chars(r, EIRCODE, 4)}`;
const numeric = (lo: number, hi: number) => (r: Random) => String(r.int(lo, hi)).padStart(5, "0");

const COUNTRIES: Record<Market["country"], Country> = {
  GB: {
    cities: [
      ["Leeds", ukPostcode("LS")],
      ["Manchester", ukPostcode("M")],
      ["Bristol", ukPostcode("BS")],
      ["Glasgow", ukPostcode("G")],
      ["Cardiff", ukPostcode("CF")],
      ["Norwich", ukPostcode("NR")],
      ["Inverness", ukPostcode("IV")],
      ["Belfast", ukPostcode("BT")],
    ],
    streets: [
      "High Street",
      "Station Road",
      "Church Lane",
      "Victoria Road",
      "Mill Lane",
      "Queen's Drive",
      "The Crescent",
    ],
    street: (r, name) => `${r.int(1, 240)} ${name}`,
    homeExtras: ["Flat 2", "Flat 14", "Ground Floor Flat", "Rose Cottage"],
    businessExtras: ["Unit 4", "Suite 210, Gateway House", "Riverside Works"],
    long: [
      "Unit 14, Long Acre Business Park, Northern Distribution Centre Access Road, Eastfield Industrial Estate",
      "Flat 3, The Old Granary at St Mary's Wharf, off Lower Bridge Street and Canal Basin Approach",
    ],
  },
  IE: {
    cities: [
      ["Dublin", eircode("D04")],
      ["Cork", eircode("T12")],
      ["Galway", eircode("H91")],
      ["Limerick", eircode("V94")],
      ["Waterford", eircode("X91")],
      ["Kilkenny", eircode("R95")],
    ],
    streets: ["Main Street", "Bóthar na Trá", "Church Road", "Sráid an Mhuilinn", "Patrick Street", "Strand Road"],
    street: (r, name) => `${r.int(1, 180)} ${name}`,
    homeExtras: ["Apartment 12", "Apartment 3, Harbour View", "Teach na Coille"],
    businessExtras: ["Unit 7, Enterprise Centre", "Block B, Technology Park"],
    long: [
      "Apartment 27, The Old Mill Courtyard Apartments, Ballsbridge Business Quarter, Pembroke Road Upper",
      "Unit 5, Páirc Ghnó an Chaisleáin, Bóthar Thuaidh na Cathrach, Eastát Tionsclaíochta na Trá Móire",
    ],
  },
  FR: {
    cities: [
      ["Paris", numeric(75001, 75020)],
      ["Lyon", numeric(69001, 69009)],
      ["Marseille", numeric(13001, 13016)],
      ["Lille", numeric(59000, 59000)],
      ["Toulouse", numeric(31000, 31500)],
      ["Strasbourg", numeric(67000, 67200)],
    ],
    streets: [
      "rue de la République",
      "avenue Jean Jaurès",
      "boulevard Saint-Michel",
      "place de l'Église",
      "rue Pasteur",
    ],
    street: (r, name) => `${r.int(1, 150)}${r.chance(0.1) ? " bis" : ""} ${name}`,
    homeExtras: ["Bâtiment B, 3e étage", "Résidence Les Tilleuls", "Appartement 41"],
    businessExtras: ["ZA des Épinettes, lot 12", "Immeuble Le Méridien, 5e étage"],
    long: [
      "Bâtiment C, Résidence les Jardins de la Vallée de l'Yerres, escalier 4, appartement 112, 2e étage",
      "Zone d'activités économiques du Parc des Grands Champs, lot 27, bâtiment logistique Nord-Est",
    ],
  },
  DE: {
    cities: [
      ["Berlin", numeric(10115, 14199)],
      ["Hamburg", numeric(20095, 22769)],
      ["München", numeric(80331, 81929)],
      ["Köln", numeric(50667, 51149)],
      ["Leipzig", numeric(4103, 4357)],
      ["Düsseldorf", numeric(40210, 40629)],
    ],
    streets: ["Hauptstraße", "Schillerstraße", "Am Mühlbach", "Goethestraße", "Lindenallee", "Bahnhofstraße"],
    street: (r, name) => `${name} ${r.int(1, 120)}${r.chance(0.1) ? "a" : ""}`,
    homeExtras: ["Hinterhaus, 2. OG", "Wohnung 7", "c/o Familie Becker"],
    businessExtras: ["Gewerbehof, Aufgang C", "Technologiezentrum, Raum 214"],
    long: [
      "Gewerbepark Nord-Ost, Halle 7, Zufahrt über die Industriestraße gegenüber dem Güterverkehrszentrum",
      "Seniorenwohnanlage Am Schlosspark, Haus Lindenhof, Wohnbereich Süd, 3. Obergeschoss, Apartment 318",
    ],
  },
};

/** Share of customers whose address has a line of 80 characters or more. */
const LONG_LINE_SHARE = 0.04;

export function sampleAddress(r: Random, market: Market, segment: Segment): Address {
  const c = COUNTRIES[market.country];
  const [city, postcode] = r.pick(c.cities);
  const lines = [c.street(r, r.pick(c.streets))];
  if (r.chance(LONG_LINE_SHARE)) lines.unshift(r.pick(c.long));
  else if (r.chance(segment === "small-business" ? 0.6 : 0.25))
    lines.unshift(r.pick(segment === "small-business" ? c.businessExtras : c.homeExtras));
  return { lines, city, postcode: postcode(r), country: market.country };
}
