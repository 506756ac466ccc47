import * as fontkit from "fontkit";
import type { World } from "../../core/index.ts";
import type { FontMetrics } from "../../layout/index.ts";
import type { Theme } from "../../templates/index.ts";

/** The four faces a template can use; markup names them through `<b>`, `<i>` and heading styles. */
export type FaceName = "body" | "bold" | "italic" | "boldItalic";
export const FACES: readonly FaceName[] = ["body", "bold", "italic", "boldItalic"];

/** A parsed font plus the caches that make measuring and painting it cheap for every document of a process. */
export interface LoadedFont {
  path: string;
  font: fontkit.Font;
  /** Advance widths of words in font units. */
  widths: Map<string, number>;
  /** Codepoints known to be covered (true) or not (false). */
  coverage: Map<number, boolean>;
  /**
   * Glyph layouts keyed by word, in the shape pdfkit's own per-document cache has; shared by every document
   * so a word is shaped once per process instead of once per statement. Replaced when it grows large.
   */
  layouts: Record<string, unknown>;
  /** Documents that used `layouts` since its size was last checked. */
  layoutUses: number;
}

export type FontSet = Readonly<Record<FaceName, LoadedFont>>;

/** Fonts are parsed once per process, whatever the number of engines or templates. */
const loaded = new Map<string, LoadedFont>();
const CACHE_LIMIT = 50_000;

function load(world: World, path: string): LoadedFont {
  const abs = world.resolve(path);
  let f = loaded.get(abs);
  if (!f) {
    const font = fontkit.create(world.readBytes(path));
    f = { path: abs, font, widths: new Map(), coverage: new Map(), layouts: Object.create(null), layoutUses: 0 };
    loaded.set(abs, f);
  }
  return f;
}

/** The theme's faces; italic faces fall back to their upright ones when the theme has none. */
export function loadFonts(world: World, theme: Theme): FontSet {
  const body = load(world, theme.fonts.body);
  const bold = load(world, theme.fonts.bold);
  const italic = theme.fonts.italic ? load(world, theme.fonts.italic) : body;
  const boldItalic = theme.fonts.boldItalic ? load(world, theme.fonts.boldItalic) : bold;
  return Object.freeze({ body, bold, italic, boldItalic });
}

function faceOf(fonts: FontSet, name: string): LoadedFont {
  return fonts[name as FaceName] ?? fonts.body;
}

function wordWidth(f: LoadedFont, text: string): number {
  let w = f.widths.get(text);
  if (w === undefined) {
    if (f.widths.size > CACHE_LIMIT) f.widths.clear();
    w = f.font.layout(text).advanceWidth;
    f.widths.set(text, w);
  }
  return w;
}

/** Measures with the same shaping (kerning included) that pdfkit paints with. */
export function fontMetrics(fonts: FontSet): FontMetrics {
  return {
    width(text, font, size) {
      const f = faceOf(fonts, font);
      return (wordWidth(f, text) * size) / f.font.unitsPerEm;
    },
    ascent(font, size) {
      const f = faceOf(fonts, font).font;
      return (f.ascent * size) / f.unitsPerEm;
    },
    descent(font, size) {
      const f = faceOf(fonts, font).font;
      return (-f.descent * size) / f.unitsPerEm;
    },
    missing(text, font) {
      const f = faceOf(fonts, font);
      let out = "";
      for (const ch of text) {
        const cp = ch.codePointAt(0)!;
        if (cp < 0x7f && cp >= 0x20) continue;
        let has = f.coverage.get(cp);
        if (has === undefined) {
          has = f.font.hasGlyphForCodePoint(cp) || isInvisible(cp);
          f.coverage.set(cp, has);
        }
        if (!has) out += ch;
      }
      return out;
    },
  };
}

/** Format characters a font need not draw (joiners, soft hyphen, directional marks). */
const isInvisible = (cp: number): boolean =>
  cp === 0xad || (cp >= 0x200b && cp <= 0x200f) || cp === 0x2060 || cp === 0xfeff;

/** pdfkit's per-document word cache for a face, shared across documents (emptied when it grows large). */
export function sharedLayouts(f: LoadedFont): Record<string, unknown> {
  if (++f.layoutUses >= 200) {
    f.layoutUses = 0;
    if (Object.keys(f.layouts).length > CACHE_LIMIT) f.layouts = Object.create(null);
  }
  return f.layouts;
}
