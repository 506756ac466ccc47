import { describe, expect, it } from "vitest";
import { postalAddressLines } from "../../src/view/index.ts";

const GB = { country: "GB", language: "en" };
const FR = { country: "FR", language: "fr" };
const DE = { country: "DE", language: "de" };

const leeds = { lines: ["Flat 2", "12 High Street"], city: "Leeds", postcode: "LS1 4AB", country: "GB" };
const paris = { lines: ["12 rue de la République"], city: "Paris", postcode: "75008", country: "FR" };
const berlin = { lines: ["Hauptstraße 5"], city: "Berlin", postcode: "10115", country: "DE" };
const dublin = { lines: ["67 Bóthar na Trá"], city: "Dublin", postcode: "D04 XWEC", country: "IE" };

describe("the address block in the destination country's format", () => {
  it("Royal Mail, domestic: the post town in capitals, then the postcode alone on the last line, no country", () => {
    expect(postalAddressLines("Ms Evie Evans", leeds, GB)).toEqual([
      "Ms Evie Evans",
      "Flat 2",
      "12 High Street",
      "LEEDS",
      "LS1 4AB",
    ]);
  });

  it("prints a postcode in capitals whatever case the extract holds", () => {
    expect(postalAddressLines("A B", { ...leeds, postcode: "ls1 4ab" }, GB).at(-1)).toBe("LS1 4AB");
  });

  it("La Poste, domestic: postcode then the locality in capitals on the last line, no country", () => {
    expect(postalAddressLines("Mme Zoé Fontaine", paris, FR)).toEqual([
      "Mme Zoé Fontaine",
      "12 rue de la République",
      "75008 PARIS",
    ]);
  });

  it("Deutsche Post, domestic: postcode then the locality as written, no country", () => {
    expect(postalAddressLines("Annegret Straßer", berlin, DE)).toEqual([
      "Annegret Straßer",
      "Hauptstraße 5",
      "10115 Berlin",
    ]);
  });

  it("mail abroad: the destination's order, the locality in capitals, the country in capitals in the sender's language last", () => {
    expect(postalAddressLines("Mme Zoé Fontaine", paris, GB).slice(-2)).toEqual(["75008 PARIS", "FRANCE"]);
    expect(postalAddressLines("Annegret Straßer", berlin, GB).slice(-2)).toEqual(["10115 BERLIN", "GERMANY"]);
    expect(postalAddressLines("Mr Seán Murphy", dublin, GB).slice(-3)).toEqual(["DUBLIN", "D04 XWEC", "IRELAND"]);
    expect(postalAddressLines("Ms Evie Evans", leeds, FR).slice(-3)).toEqual(["LEEDS", "LS1 4AB", "ROYAUME-UNI"]);
    expect(postalAddressLines("Annegret Straßer", berlin, FR).at(-1)).toBe("ALLEMAGNE");
    expect(postalAddressLines("Ms Evie Evans", leeds, DE).at(-1)).toBe("VEREINIGTES KÖNIGREICH");
  });

  it("keeps every address line, in order, after the name", () => {
    const lines = postalAddressLines("Ms Evie Evans", leeds, GB);
    expect(lines.slice(1, 3)).toEqual(leeds.lines);
  });
});
