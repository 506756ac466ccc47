/**
 * One shaped word's part of a TJ operand, the same in every document: a glyph's code is its id in the face
 * (subsets.ts). A TJ array closes a segment of codes after each glyph whose advance differs from its width
 * (the difference is the kerning): `head` is the word's codes up to and with its first such glyph (all of
 * them when it has none), `kerning` that glyph's adjustment (undefined when none), `middle` the segments the
 * word closes after it, each with the space before it, and `tail` the codes after its last kerned glyph.
 */
export interface WordPart {
  head: string;
  kerning: number | undefined;
  middle: string;
  tail: string;
  /** A glyph of the word is offset from its place (a positioned mark): pdfkit writes the run itself. */
  offset: boolean;
  /** The word's glyph ids, marked in each document that paints the word. */
  gids: number[];
  /** The mark of the document that last marked this word's glyphs as painted: each document marks a word once. */
  markedIn: object | undefined;
}

/**
 * One run of text's TJ operand (undefined when a glyph is offset from its place: pdfkit writes the run itself)
 * and its words' parts, the same in every document.
 */
export interface RunPart {
  tj: string | undefined;
  words: WordPart[];
  /** The mark of the document that last marked this run's words (see `WordPart.markedIn`). */
  markedIn: object | undefined;
}
