/**
 * Characters no text field of a profile may hold. Every such field is one line of visible text (a name, an
 * address line, a charge's description) printed on paper, in an email and in an SMS, so these are refused, not
 * stripped: stripping would change a name silently, while a refusal names the field and the character
 * (U+202E) and the record can be corrected at its source. Line breaks are refused too: an address is a list of
 * lines, never a line with breaks in it. Zero-width joiners (U+200C, U+200D) have a use in Persian and Indic
 * scripts, none in the languages omnidoc writes (en, fr, de), and can hide a name's difference from another.
 */
const FORBIDDEN: readonly { from: number; to: number; kind: string }[] = [
  { from: 0x00, to: 0x1f, kind: "a control character" },
  { from: 0x7f, to: 0x9f, kind: "a control character" },
  { from: 0x200b, to: 0x200d, kind: "a zero-width character" },
  { from: 0x2028, to: 0x2029, kind: "a line or paragraph separator" },
  { from: 0x202a, to: 0x202e, kind: "a bidirectional embedding or override" },
  { from: 0x2060, to: 0x2060, kind: "a zero-width character" },
  { from: 0x2066, to: 0x2069, kind: "a bidirectional isolate" },
  { from: 0xfeff, to: 0xfeff, kind: "a zero-width character" },
  // What a decoder puts where the input's bytes were not UTF-8: the real letter is lost, and would print as �.
  { from: 0xfffd, to: 0xfffd, kind: "a replacement character: the input was not valid UTF-8 there" },
  // Read code point by code point, a surrogate is only ever one without its pair: ill-formed UTF-16.
  { from: 0xd800, to: 0xdfff, kind: "a lone surrogate: ill-formed UTF-16" },
];

const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, "0");

/**
 * The JSON Schema pattern of a text field (ajv compiles patterns with the `u` flag, so a well-formed surrogate
 * pair is one code point and only a lone surrogate falls in D800–DFFF).
 */
export const PLAIN_TEXT_PATTERN = `^[^${FORBIDDEN.map(({ from, to }) => `\\u${hex(from)}-\\u${hex(to)}`).join("")}]*$`;

/** The first forbidden character of a text, as `U+202E (a bidirectional embedding or override)`. */
export function forbiddenCharacter(text: string): string | undefined {
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    const hit = FORBIDDEN.find(({ from, to }) => cp >= from && cp <= to);
    if (hit) return `U+${hex(cp)} (${hit.kind})`;
  }
  return undefined;
}
