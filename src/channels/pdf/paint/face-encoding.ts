import { type LoadedFont, shapeText } from "../fonts.ts";
import type { PdfkitEmbeddedFont, PdfkitGlyphPosition } from "./pdfkit-internals.ts";

/** pdfkit's number format: at most six decimals. */
const num = (n: number): number => Math.round(n * 1e6) / 1e6;

/**
 * pdfkit's `encode` for one face of one document, giving the same glyph codes and positions from the face's
 * shaped words, and `textArray`, a run's TJ operand made from them directly. pdfkit's own encode reads every
 * word through its word cache (here a view of the face's bounded cache), concatenates the words' glyph arrays
 * one word at a time and adds each glyph to the subset and formats its code again; a statement paints
 * thousands of glyphs of a few hundred distinct ones. Here each word is read from the face's cache directly
 * and a glyph's code is made once per document; a text run's operand is written as its glyphs are read, with
 * no array of codes or positions in between.
 */
export function encodeFromShapedWords(face: PdfkitEmbeddedFont, loaded: LoadedFont): void {
  const own = face.encode.bind(face);
  const scale = 1000 / loaded.unitsPerEm;
  /** The document's code of each glyph it paints, by the glyph's id in the face, as four hex digits. */
  const codes: string[] = [];
  /**
   * Calls `visit` with each glyph of `text` (its code and position), words as pdfkit cuts them: each with
   * the space or tab after it, the last without.
   */
  const eachGlyph = (text: string, visit: (code: string, position: PdfkitGlyphPosition) => void): void => {
    let last = 0;
    for (let i = 0; i <= text.length; i++) {
      const end = i === text.length;
      if (end ? last === i : text[i] !== " " && text[i] !== "\t") continue;
      const key = text.slice(last, i + 1);
      last = i + 1;
      let run = loaded.words.get(key);
      if (!run) {
        run = shapeText(loaded, key);
        loaded.words.set(key, run);
      }
      const { glyphs } = run;
      for (let g = 0; g < glyphs.length; g++) {
        const glyph = glyphs[g];
        let code = codes[glyph.id];
        if (code === undefined) {
          const gid = face.subset.includeGlyph(glyph.id);
          code = codes[glyph.id] = `0000${gid.toString(16)}`.slice(-4);
          face.widths[gid] ??= glyph.advanceWidth * scale;
          face.unicode[gid] ??= glyph.codePoints;
        }
        visit(code, run.positions[g] as unknown as PdfkitGlyphPosition);
      }
    }
  };
  face.encode = (text, features?: unknown) => {
    if (features) return own(text, features);
    const out: string[] = [];
    const positions: PdfkitGlyphPosition[] = [];
    eachGlyph(text, (code, position) => {
      out.push(code);
      positions.push(position);
    });
    return [out, positions];
  };
  face.textArray = (text) => {
    // A segment of codes ends after each glyph whose advance differs from its width (the difference is the
    // kerning), and after the last glyph, as pdfkit writes a TJ array. Every glyph is read, offset or not, so
    // the subset meets the run's glyphs in the same order whichever way the run is written.
    let tj = "";
    let segment = "";
    let offset = false;
    eachGlyph(text, (code, p) => {
      if (p.xOffset !== 0 || p.yOffset !== 0) offset = true;
      segment += code;
      if (p.xAdvance === p.advanceWidth) return;
      tj += `${tj === "" ? "" : " "}<${segment}> ${num(-(p.xAdvance - p.advanceWidth))}`;
      segment = "";
    });
    if (offset) return undefined;
    return segment === "" ? tj : `${tj}${tj === "" ? "" : " "}<${segment}> 0`;
  };
}
