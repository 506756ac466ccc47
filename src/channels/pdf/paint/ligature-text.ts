/**
 * The text a glyph stands for in the ToUnicode map. Shaping draws "fi" as one ligature glyph, and fontkit
 * knows that glyph by the presentation form the font maps to it (U+FB01 ﬁ); a reader copying, searching or
 * speaking the page needs the letters. A presentation form of the Alphabetic Presentation Forms block
 * (U+FB00–U+FB4F: Latin and Armenian ligatures, Hebrew forms) is a way of drawing letters, so its text is
 * its compatibility decomposition; ISO 32000-1 §9.10.3 lets one code map to several code points.
 */

const FIRST = 0xfb00;
const LAST = 0xfb4f;

/** `codePoints` with every presentation form replaced by the letters it draws. */
export function glyphText(codePoints: readonly number[]): number[] {
  if (!codePoints.some((cp) => cp >= FIRST && cp <= LAST)) return [...codePoints];
  const text = String.fromCodePoint(...codePoints).replace(/[\uFB00-\uFB4F]/g, (form) => form.normalize("NFKD"));
  return [...text].map((c) => c.codePointAt(0)!);
}
