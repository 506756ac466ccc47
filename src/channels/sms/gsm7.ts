/**
 * GSM 03.38, the 7-bit default alphabet of SMS. A character from the basic table takes one septet; one from
 * the extension table takes two (an escape plus the character). Anything else forces the whole text to UCS-2.
 */

const BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const EXTENSION = "\f^{}\\[~]|€";

/**
 * Septets of each UTF-16 code unit (0: GSM-7 cannot carry it): every character of both tables is one unit, and
 * a text is read a unit at a time, without making a string of each character (surrogates are never GSM-7).
 */
const SEPTETS = new Uint8Array(0x10000);
for (const ch of BASIC) SEPTETS[ch.charCodeAt(0)] = 1;
for (const ch of EXTENSION) SEPTETS[ch.charCodeAt(0)] = 2;

/** Septets the UTF-16 code unit `code` takes in GSM-7, or 0 when GSM-7 cannot carry it. */
export const unitSeptets = (code: number): number => SEPTETS[code];

/** Septets a character takes in GSM-7, or 0 when GSM-7 cannot carry it. */
export function gsmSeptets(ch: string): 0 | 1 | 2 {
  return ch.length === 1 ? (SEPTETS[ch.charCodeAt(0)] as 0 | 1 | 2) : 0;
}

export function isGsm7(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (SEPTETS[text.charCodeAt(i)] === 0) return false;
  return true;
}

/**
 * Typography that word processors and `Intl` put into copy, mapped to GSM equivalents so that one curly quote
 * or a French thousands separator does not halve the room in a text by forcing UCS-2.
 */
const TYPOGRAPHY: Record<string, string> = {};
const map = (chars: string, to: string) => {
  for (const ch of chars) TYPOGRAPHY[ch] = to;
};
map("\u2018\u2019\u201a\u201b\u2032\u02bc", "'");
map("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"');
map("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-");
map("\u2026", "...");
map("\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000", " ");
map("\u00ad\u200b\u200c\u200d\u2060\ufeff", "");
const TYPOGRAPHIC = new RegExp(`[${Object.keys(TYPOGRAPHY).join("")}]`, "g");

export function normaliseForSms(text: string): string {
  return text.replace(TYPOGRAPHIC, (ch) => TYPOGRAPHY[ch]);
}
