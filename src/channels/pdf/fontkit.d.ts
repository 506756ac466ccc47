/** The part of fontkit (pdfkit's font engine) that omnidoc uses. */
declare module "fontkit" {
  export interface Glyph {
    id: number;
    advanceWidth: number;
    /** The text the glyph stands for (a relied-on member: pdfkit-internals.ts). */
    codePoints: number[];
  }
  export interface GlyphPosition {
    xAdvance: number;
    yAdvance: number;
    xOffset: number;
    yOffset: number;
    [key: string]: number;
  }
  export interface GlyphRun {
    advanceWidth: number;
    /** The OpenType script tag it was shaped for. */
    script: string;
    glyphs: Glyph[];
    positions: GlyphPosition[];
  }
  export interface Font {
    postscriptName: string;
    familyName: string;
    unitsPerEm: number;
    ascent: number;
    descent: number;
    capHeight: number;
    xHeight: number;
    italicAngle: number;
    bbox: { minX: number; minY: number; maxX: number; maxY: number };
    /** A relied-on member (pdfkit-internals.ts). */
    numGlyphs: number;
    /** `script`: an OpenType script tag, else the script of the text's first character not of the Common script. */
    layout(text: string, features?: string[], script?: string): GlyphRun;
    /** The layout tables, read for which glyphs their lookups cover (pair-kerning.ts). */
    GSUB?: unknown;
    GPOS?: unknown;
    morx?: unknown;
    hasGlyphForCodePoint(codePoint: number): boolean;
    glyphForCodePoint(codePoint: number): Glyph;
    characterSet: number[];
  }
  export function create(buffer: Uint8Array): Font;
}
