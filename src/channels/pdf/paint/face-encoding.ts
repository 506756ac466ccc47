import { type LoadedFont, shapeText } from "../fonts.ts";
import type { PdfkitEmbeddedFont, PdfkitGlyphPosition } from "./pdfkit-internals.ts";

/**
 * pdfkit's `encode` for one face of one document, giving the same glyph codes and positions from the face's
 * shaped words. pdfkit's own reads every word through its word cache (here a view of the face's bounded
 * cache), concatenates the words' glyph arrays one word at a time and adds each glyph to the subset and
 * formats its code again; a statement paints thousands of glyphs of a few hundred distinct ones. Here each
 * word is read from the face's cache directly and a glyph's code is made once per document.
 */
export function encodeFromShapedWords(face: PdfkitEmbeddedFont, loaded: LoadedFont): void {
  const own = face.encode.bind(face);
  const scale = 1000 / loaded.unitsPerEm;
  /** The document's code of each glyph it paints, by the glyph's id in the face, as four hex digits. */
  const codes: string[] = [];
  face.encode = (text, features?: unknown) => {
    if (features) return own(text, features);
    const out: string[] = [];
    const positions: PdfkitGlyphPosition[] = [];
    // Words as pdfkit cuts them: each with the space or tab after it, the last without.
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
        out.push(code);
        positions.push(run.positions[g] as unknown as PdfkitGlyphPosition);
      }
    }
    return [out, positions];
  };
}
