import { type LoadedFont, shapeText } from "../fonts.ts";
import type { PdfkitEmbeddedFont, PdfkitGlyphPosition, PdfkitShapedRun } from "./pdfkit-internals.ts";

const SPACE = 32;
const TAB = 9;

/** pdfkit's number format: at most six decimals. */
const num = (n: number): number => Math.round(n * 1e6) / 1e6;

/**
 * One word's part of a TJ operand in one document, made once per document from its codes there. A TJ array
 * closes a segment of codes after each glyph whose advance differs from its width (the difference is the
 * kerning): `head` is the word's codes up to and with its first such glyph (all of them when it has none),
 * `kerning` that glyph's adjustment (undefined when none), `middle` the segments the word closes after it,
 * each with the space before it, and `tail` the codes after its last kerned glyph.
 */
interface WordPieces {
  head: string;
  kerning: number | undefined;
  middle: string;
  tail: string;
  /** A glyph of the word is offset from its place (a positioned mark): pdfkit writes the run itself. */
  offset: boolean;
}

/**
 * pdfkit's `encode` for one face of one document, giving the same glyph codes and positions from the face's
 * shaped words, and `textArray`, a run's TJ operand made from them directly. pdfkit's own encode reads every
 * word through its word cache (here a view of the face's bounded cache), concatenates the words' glyph arrays
 * one word at a time and adds each glyph to the subset and formats its code again; a statement paints
 * thousands of glyphs of a few hundred distinct ones, in a few hundred distinct words. Here each word is read
 * from the face's cache directly, a glyph's code is made once per document, and a word's part of a TJ
 * operand too: a run's operand is joined from its words' parts.
 */
export function encodeFromShapedWords(face: PdfkitEmbeddedFont, loaded: LoadedFont): void {
  const own = face.encode.bind(face);
  const scale = 1000 / loaded.unitsPerEm;
  /** The document's code of each glyph it paints, by the glyph's id in the face, as four hex digits. */
  const codes: string[] = [];
  /** Each word's part of a TJ operand, by the word as `shaped` keys it. */
  const pieces = new Map<string, WordPieces>();
  /** The word's shaped run, from the face's cache or shaped now. */
  const shaped = (key: string): PdfkitShapedRun => {
    let run = loaded.words.get(key);
    if (!run) {
      run = shapeText(loaded, key);
      loaded.words.set(key, run);
    }
    return run;
  };
  /** The glyph's code in this document; the first time, the glyph joins the subset in the order met. */
  const codeOf = (glyph: PdfkitShapedRun["glyphs"][number]): string => {
    let code = codes[glyph.id];
    if (code === undefined) {
      const gid = face.subset.includeGlyph(glyph.id);
      code = codes[glyph.id] = `0000${gid.toString(16)}`.slice(-4);
      face.widths[gid] ??= glyph.advanceWidth * scale;
      face.unicode[gid] ??= glyph.codePoints;
    }
    return code;
  };
  const piecesOf = (run: PdfkitShapedRun): WordPieces => {
    const p: WordPieces = { head: "", kerning: undefined, middle: "", tail: "", offset: false };
    let segment = "";
    for (let g = 0; g < run.glyphs.length; g++) {
      const { xAdvance, advanceWidth, xOffset, yOffset } = run.positions[g];
      if (xOffset !== 0 || yOffset !== 0) p.offset = true;
      segment += codeOf(run.glyphs[g]);
      if (xAdvance === advanceWidth) continue;
      const kerning = num(-(xAdvance - advanceWidth));
      if (p.kerning === undefined) {
        p.head = segment;
        p.kerning = kerning;
      } else p.middle += ` <${segment}> ${kerning}`;
      segment = "";
    }
    if (p.kerning === undefined) p.head = segment;
    else p.tail = segment;
    return p;
  };
  /** Calls `visit` with each word of `text` as pdfkit cuts them: each with the space or tab after it, the last without. */
  const eachWord = (text: string, visit: (key: string) => void): void => {
    let last = 0;
    for (let i = 0; i <= text.length; i++) {
      const c = text.charCodeAt(i);
      if (i === text.length ? last === i : c !== SPACE && c !== TAB) continue;
      visit(text.slice(last, i + 1));
      last = i + 1;
    }
  };
  face.encode = (text, features?: unknown) => {
    if (features) return own(text, features);
    const out: string[] = [];
    const positions: PdfkitGlyphPosition[] = [];
    eachWord(text, (key) => {
      const run = shaped(key);
      for (let g = 0; g < run.glyphs.length; g++) {
        out.push(codeOf(run.glyphs[g]));
        positions.push(run.positions[g] as unknown as PdfkitGlyphPosition);
      }
    });
    return [out, positions];
  };
  face.textArray = (text) => {
    // Every word is read, offset or not, so the subset meets the run's glyphs in the same order whichever
    // way the run is written.
    let tj = "";
    let segment = "";
    let offset = false;
    eachWord(text, (key) => {
      let p = pieces.get(key);
      if (!p) {
        p = piecesOf(shaped(key));
        pieces.set(key, p);
      }
      if (p.offset) offset = true;
      if (p.kerning === undefined) {
        segment += p.head;
        return;
      }
      tj += `${tj === "" ? "" : " "}<${segment}${p.head}> ${p.kerning}${p.middle}`;
      segment = p.tail;
    });
    if (offset) return undefined;
    return segment === "" ? tj : `${tj}${tj === "" ? "" : " "}<${segment}> 0`;
  };
}
