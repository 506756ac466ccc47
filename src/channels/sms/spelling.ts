import transliterate from "@sindresorhus/transliterate";
import type { View } from "../../view/index.ts";
import { gsmSeptets, isGsm7, normaliseForSms } from "./gsm7.ts";

/**
 * Names spelled in the GSM 03.38 alphabet, so that one Greek or Polish letter does not force a whole text into
 * UCS-2 (70 characters a segment instead of 160) or cost the customer their greeting. A Latin name keeps every
 * letter GSM-7 has (é, ü, ñ, Å) and only the others are transliterated (Ł → L, ọ → o); a name in another
 * script is transliterated whole (Δημήτρης → Dimitris, not ΔImitris, though GSM-7 has Δ). What no
 * transliteration reaches is left out.
 */
export function gsmSpelling(name: string): string {
  const words = normaliseForSms(name.normalize("NFC")).replace(/\p{L}[\p{L}\p{M}]*/gu, (word) =>
    isGsm7(word) ? word : /^[\p{Script=Latin}\p{M}]+$/u.test(word) ? latinLetters(word) : transliterate(word),
  );
  return [...words]
    .filter((ch) => gsmSeptets(ch) > 0)
    .join("")
    .replace(/\s+/g, " ")
    .trim();
}

/** Only the letters GSM-7 lacks; `Þórunn` becomes `Thorunn`, not `THorunn`. */
function latinLetters(word: string): string {
  const letters = [...word];
  return letters
    .map((ch, i) => {
      if (gsmSeptets(ch) > 0) return ch;
      const spelled = transliterate(ch);
      const capitalised =
        spelled.length > 1 && spelled === spelled.toUpperCase() && /\p{Ll}/u.test(letters[i + 1] ?? "");
      return capitalised ? spelled[0] + spelled.slice(1).toLowerCase() : spelled;
    })
    .join("");
}

/** The customer's name fields as GSM-7 spells them, or undefined when they are GSM-7 already. */
export function gsmCustomer(customer: View["customer"]): View["customer"] | undefined {
  const { title, first, last, fullName } = customer;
  if ([title, first, last, fullName].every(isGsm7)) return undefined;
  return {
    ...customer,
    title: gsmSpelling(title),
    first: gsmSpelling(first),
    last: gsmSpelling(last),
    fullName: gsmSpelling(fullName),
  };
}
