import * as fontkit from "fontkit";
import { type RenderCaches, type World, cachePart } from "../../core/index.ts";
import type { FontMetrics } from "../../layout/index.ts";
import type { Theme } from "../../templates/index.ts";
import type { RunPart, WordPart } from "./paint/text-parts.ts";
import type { PdfkitShapedRun } from "./paint/pdfkit-internals.ts";
import { PairKerning } from "./pair-kerning.ts";
import { type FaceTables, faceTables } from "./paint/subsets.ts";
import { RecentCache } from "./recent-cache.ts";

/** The four faces a template can use; markup names them through `<b>`, `<i>` and heading styles. */
export type FaceName = "body" | "bold" | "italic" | "boldItalic";
export const FACES: readonly FaceName[] = ["body", "bold", "italic", "boldItalic"];

/** A parsed font plus the caches that make measuring and painting it cheap for every document that uses it. */
export interface LoadedFont {
  path: string;
  font: fontkit.Font;
  /** fontkit reads these from its tables on every access: kept here, ascent and descent per point of size. */
  unitsPerEm: number;
  ascent: number;
  descent: number;
  /** Codepoints known to be covered (true) or not (false). */
  coverage: Map<number, boolean>;
  /**
   * Shaped words (glyphs, positions in 1/1000 em, advance width) keyed as pdfkit keys its per-document
   * cache (`word ` with its trailing space, or the last word of a run without). Measuring fills it and
   * every document's painting reads it, so a word is shaped once per caches object, not twice per statement.
   */
  words: RecentCache<string, ShapedWord>;
  /** Runs of text as painted, each with its TJ operand: most of a statement's runs are the template's own or recur. */
  runs: RecentCache<string, RunPart>;
  /** `words` as the plain object pdfkit reads and writes its word cache through. */
  pdfkitWords: Record<string, PdfkitShapedRun>;
  /** The face's tables and its glyphs' text, for every document embedding it. */
  tables: FaceTables;
  /** Words of ASCII, no-break spaces, £ and € shaped from their pairs' kerning (amounts, numbers, names). */
  pairs: PairKerning;
}

export type FontSet = Readonly<Record<FaceName, LoadedFont>>;

/** Fonts by absolute path: parsed once per caches object, whatever the number of engines or templates. */
const LOADED_FONTS = cachePart("pdf fonts by path", () => new Map<string, LoadedFont>());
/**
 * Shaped words a face keeps, those not used for longest dropped first. Every statement brings words never seen
 * before (amounts, readings, account numbers) among many that recur (the template's own text, common names,
 * towns). With 10,000 a statement shapes ~20 words (~30 µs each), most of them its own amounts, numbers and
 * the pieces of its payment link; a larger cache would save few of them (20,000: 13 a customer against 18),
 * a smaller one costs more (5,000: 30; `bench/threads/face-caches.ts`). Bounded, so a worker's memory does
 * not grow with the length of a run.
 */
const SHAPED_WORDS = 10_000;

/**
 * Runs of text a face keeps with their TJ operands, those not painted for longest dropped first. The runs that
 * recur (the template's own text) fit in 2,000; at 10,000 a billing run's peak RSS at 2 workers was 30 MB
 * higher (709 against 679 MB at 5,000 customers) for no less CPU.
 */
const PAINTED_RUNS = 2_000;

function load(world: World, loaded: Map<string, LoadedFont>, path: string): LoadedFont {
  const abs = world.resolve(path);
  let f = loaded.get(abs);
  if (!f) {
    const file = world.readBytes(path);
    const font = fontkit.create(file);
    // fontkit keeps the first glyph object it makes for an id, code points included, and pdfkit writes those
    // code points into the text layer. A glyph first met inside a decomposed letter (Z of Ż) would carry
    // none, and copied text would lose every later Z: make each glyph from its own character first.
    for (const cp of font.characterSet) font.glyphForCodePoint(cp);
    const words = new RecentCache<string, ShapedWord>(SHAPED_WORDS);
    f = {
      path: abs,
      font,
      unitsPerEm: font.unitsPerEm,
      ascent: font.ascent / font.unitsPerEm,
      descent: -font.descent / font.unitsPerEm,
      coverage: new Map(),
      words,
      runs: new RecentCache(PAINTED_RUNS),
      pdfkitWords: asPlainObject(words, 1000 / font.unitsPerEm),
      tables: faceTables(file, font),
      pairs: new PairKerning(font),
    };
    loaded.set(abs, f);
  }
  return f;
}

/**
 * The theme's faces, from `caches` when it has them; italic faces fall back to their upright ones when the
 * theme has none.
 */
export function loadFonts(world: World, theme: Theme, caches: RenderCaches): FontSet {
  const loaded = caches.get(LOADED_FONTS);
  const body = load(world, loaded, theme.fonts.body);
  const bold = load(world, loaded, theme.fonts.bold);
  const italic = theme.fonts.italic ? load(world, loaded, theme.fonts.italic) : body;
  const boldItalic = theme.fonts.boldItalic ? load(world, loaded, theme.fonts.boldItalic) : bold;
  return Object.freeze({ body, bold, italic, boldItalic });
}

function faceOf(fonts: FontSet, name: string): LoadedFont {
  return fonts[name as FaceName] ?? fonts.body;
}

/**
 * A shaped word as a face keeps it, in 1/1000 em. pdfkit keeps a word's positions as an object of five numbers
 * a glyph, each number boxed: ~2 kB a word of eight glyphs, and a face keeps 10,000 words in each render
 * thread, whose heap grows to twice what it keeps alive. Here a glyph's place is its advance, plus three
 * numbers only in the rare words that move a glyph off its place (positioned marks): ~0.4 kB a word.
 * pdfkit's form is made when it is read, which only the first painting of a word and pdfkit's own `text()` do.
 */
export class ShapedWord implements PdfkitShapedRun {
  /** The word's part of a TJ operand, made once a thread (face-encoding.ts). */
  part?: WordPart;

  constructor(
    readonly glyphs: fontkit.Glyph[],
    /** Each glyph's `xAdvance`. */
    private readonly advances: number[],
    /** Each glyph's `yAdvance`, `xOffset` and `yOffset`, three a glyph; undefined when all are 0. */
    private readonly moves: number[] | undefined,
    readonly advanceWidth: number,
    /** 1000 / the face's units per em. */
    private readonly scale: number,
  ) {}

  /** The positions as pdfkit makes them (each with its glyph's advance width), made anew at each read. */
  get positions(): Record<string, number>[] {
    const { advances, moves } = this;
    return this.glyphs.map((glyph, i) => ({
      xAdvance: advances[i],
      yAdvance: moves ? moves[i * 3] : 0,
      xOffset: moves ? moves[i * 3 + 1] : 0,
      yOffset: moves ? moves[i * 3 + 2] : 0,
      advanceWidth: glyph.advanceWidth * this.scale,
    }));
  }

  /** The word without its last glyph (a word shaped with its trailing space, without it). */
  withoutLastGlyph(): ShapedWord {
    const n = this.glyphs.length - 1;
    const width = this.advanceWidth - this.advances[n];
    const moves = this.moves?.slice(0, n * 3);
    return new ShapedWord(this.glyphs.slice(0, n), this.advances.slice(0, n), moves, width, this.scale);
  }

  /** A word pdfkit shaped itself (its `layoutRun`), kept in this form. */
  static of(run: PdfkitShapedRun, scale: number): ShapedWord {
    const { glyphs, positions, advanceWidth } = run;
    return new ShapedWord(
      glyphs,
      positions.map((p) => p.xAdvance),
      movesOf(positions, 1),
      advanceWidth,
      scale,
    );
  }
}

type Moves = Readonly<Record<"yAdvance" | "xOffset" | "yOffset", number>>;

/** `positions`' `yAdvance`, `xOffset` and `yOffset` times `scale`, three a glyph; undefined when all are 0. */
function movesOf(positions: readonly (Moves | Record<string, number>)[], scale: number): number[] | undefined {
  if (positions.every((p) => p.yAdvance === 0 && p.xOffset === 0 && p.yOffset === 0)) return undefined;
  return positions.flatMap((p) => [p.yAdvance * scale, p.xOffset * scale, p.yOffset * scale]);
}

/** Shapes `text` as pdfkit does (positions scaled to 1/1000 em). */
export function shapeText(f: LoadedFont, text: string): ShapedWord {
  const scale = 1000 / f.unitsPerEm;
  const kerned = f.pairs.shape(text);
  if (kerned) {
    const advances = kerned.advances.map((a) => a * scale);
    return new ShapedWord(kerned.glyphs, advances, undefined, widthOf(advances), scale);
  }
  const run = f.font.layout(text);
  f.pairs.learn(text, run);
  const advances = run.positions.map((p) => p.xAdvance * scale);
  return new ShapedWord(run.glyphs.slice(), advances, movesOf(run.positions, scale), widthOf(advances), scale);
}

const widthOf = (advances: readonly number[]): number => advances.reduce((w, a) => w + a, 0);

/**
 * Width of a word in 1/1000 em. The word is shaped with a trailing space (how pdfkit meets it inside a
 * run) and stored under both keys, so painting the word later finds it whether or not it ends its run.
 */
function wordWidth(f: LoadedFont, text: string): number {
  const known = f.words.get(text);
  if (known) return known.advanceWidth;
  if (text === " " || text.endsWith(" ")) {
    const run = shapeText(f, text);
    f.words.set(text, run);
    return run.advanceWidth;
  }
  const spaced = shapeText(f, `${text} `);
  const bare = spaced.withoutLastGlyph();
  f.words.set(`${text} `, spaced);
  f.words.set(text, bare);
  return bare.advanceWidth;
}

/** Measures with the same shaping (kerning included) that pdfkit paints with. */
export function fontMetrics(fonts: FontSet): FontMetrics {
  return {
    width(text, font, size) {
      const f = faceOf(fonts, font);
      return (wordWidth(f, text) * size) / 1000;
    },
    ascent(font, size) {
      return faceOf(fonts, font).ascent * size;
    },
    descent(font, size) {
      return faceOf(fonts, font).descent * size;
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

/**
 * pdfkit reads and writes a font's word cache as a plain object, by key (`layoutCache[word]`); this view
 * sends both to the face's bounded cache.
 */
function asPlainObject(words: RecentCache<string, ShapedWord>, scale: number): Record<string, PdfkitShapedRun> {
  return new Proxy(Object.create(null) as Record<string, PdfkitShapedRun>, {
    get: (_, key) => (typeof key === "string" ? words.get(key) : undefined),
    set: (_, key, run: PdfkitShapedRun) => {
      if (typeof key === "string") words.set(key, ShapedWord.of(run, scale));
      return true;
    },
  });
}
