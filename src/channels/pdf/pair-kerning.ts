import type * as fontkit from "fontkit";

/**
 * The characters a text shaped here may hold: printable ASCII, no-break spaces, £ and €. Amounts, account
 * numbers, readings, names and the pieces of a payment link are made of them: the words each statement brings.
 */
export const CHARACTERS = ` !"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_\`abcdefghijklmnopqrstuvwxyz{|}~\u00a0\u00a3\u20ac\u202f`;
const N = CHARACTERS.length;
/** A character's place in CHARACTERS by its UTF-16 code, -1 when not there. */
const PLACES = new Int16Array(0x20b0).fill(-1);
for (let i = 0; i < N; i++) PLACES[CHARACTERS.charCodeAt(i)] = i;
const placeOf = (code: number): number => (code < PLACES.length ? PLACES[code] : -1);
/** Latin letters; every other character of CHARACTERS is of Unicode's Common script. */
const isLetter = (code: number): boolean => (code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a;

/**
 * The features fontkit's default shaper (the one for Latin and for texts of no script) applies left to
 * right, horizontally, unasked: its `rvrn`, directional, common, fractional and horizontal features.
 */
const APPLIED = new Set([
  ..."rvrn ltra ltrm ccmp locl rlig mark mkmk frac numr dnom calt clig liga rclt curs kern".split(" "),
]);

/** Glyphs and their advances in font units, as fontkit's `layout` gives them for a text. */
export interface KernedGlyphs {
  glyphs: fontkit.Glyph[];
  advances: number[];
}

/**
 * Shapes texts of CHARACTERS without fontkit's layout engine, whose set-up costs 20–100 µs a call whatever
 * the length, for one script: fontkit shapes a text with a Latin letter as Latin, one without as of no
 * script, each with its own features. A character takes part when no substitution those features could
 * make starts at its glyph (or none but with some glyphs after it, `f` before `i`: such pairs are left
 * out), nor any positioning but a pair adjustment (read from the face's GSUB and GPOS);
 * when the pair adjustments move only their first glyph's advance and skip no glyph, a text of such
 * characters is their glyphs, each advanced by its width plus what its pair adds, which fontkit applies
 * one pair at a time (from GPOS, or else the `kern` table). A pair's adjustment is learnt from the first
 * text fontkit shapes with it; a text holding a pair not yet learnt goes to fontkit.
 */
class ScriptPairs {
  /** 1 where the character's glyph takes no part in the script's substitutions and positionings but pairs. */
  private readonly inert = new Uint8Array(N);
  /** 1 where a substitution may start at the pair's first glyph when the second follows it (`fi`). */
  private readonly blocked = new Uint8Array(N * N);
  /** 1 where the pair's adjustment is known. */
  private readonly known = new Uint8Array(N * N);
  /** A pair's adjustment in font units, added to its first glyph's advance. */
  private readonly kerning = new Float64Array(N * N);

  constructor(
    font: fontkit.Font,
    script: string,
    private readonly glyphs: readonly fontkit.Glyph[],
  ) {
    const ids = new Set(glyphs.map((g) => g.id));
    const substituted = startingGlyphs(font.GSUB, script, ids, SUBSTITUTION_EXTENSION, () => true);
    const positioned = startingGlyphs(font.GPOS, script, ids, POSITIONING_EXTENSION, (t) => t !== PAIR_ADJUSTMENT);
    if (!substituted || !positioned || !plainPairs(font.GPOS, script)) return;
    for (let i = 0; i < N; i++) {
      const id = glyphs[i].id;
      const followers = substituted.get(id);
      this.inert[i] = id !== 0 && followers !== ANY && !positioned.has(id) ? 1 : 0;
      if (followers instanceof Set)
        for (let j = 0; j < N; j++) if (followers.has(glyphs[j].id)) this.blocked[i * N + j] = 1;
    }
  }

  shape(places: Int16Array, n: number): KernedGlyphs | undefined {
    if (!this.takes(places, n)) return undefined;
    const glyphs: fontkit.Glyph[] = new Array(n);
    const advances: number[] = new Array(n);
    for (let i = 0; i < n - 1; i++) {
      const pair = places[i] * N + places[i + 1];
      if (this.known[pair] === 0) return undefined;
      const glyph = this.glyphs[places[i]];
      glyphs[i] = glyph;
      advances[i] = glyph.advanceWidth + this.kerning[pair];
    }
    const last = this.glyphs[places[n - 1]];
    glyphs[n - 1] = last;
    advances[n - 1] = last.advanceWidth;
    return { glyphs, advances };
  }

  /** Learns the pairs of a text of these characters from fontkit's shaping of it. */
  learn(places: Int16Array, n: number, run: fontkit.GlyphRun): void {
    if (!this.takes(places, n) || run.glyphs.length !== n) return;
    for (let i = 0; i < n; i++) {
      const glyph = this.glyphs[places[i]];
      const p = run.positions[i];
      if (run.glyphs[i].id !== glyph.id || p.yAdvance !== 0 || p.xOffset !== 0 || p.yOffset !== 0) return;
    }
    if (run.positions[n - 1].xAdvance !== this.glyphs[places[n - 1]].advanceWidth) return;
    for (let i = 0; i < n - 1; i++) {
      const pair = places[i] * N + places[i + 1];
      this.kerning[pair] = run.positions[i].xAdvance - this.glyphs[places[i]].advanceWidth;
      this.known[pair] = 1;
    }
  }

  private takes(places: Int16Array, n: number): boolean {
    for (let i = 0; i < n; i++) if (this.inert[places[i]] === 0) return false;
    for (let i = 0; i < n - 1; i++) if (this.blocked[places[i] * N + places[i + 1]] === 1) return false;
    return true;
  }
}

/** A face's texts of CHARACTERS shaped from pairs (ScriptPairs), Latin texts and texts of no script apart. */
export class PairKerning {
  private readonly glyphs: fontkit.Glyph[];
  private readonly scripts = new Map<string, ScriptPairs | undefined>();
  private readonly places = new Int16Array(64);

  constructor(private readonly font: fontkit.Font) {
    this.glyphs = [...CHARACTERS].map((c) => font.glyphForCodePoint(c.charCodeAt(0)));
  }

  /** `text` shaped as fontkit's `layout` shapes it, or undefined when it is not one of these texts or holds a pair not learnt. */
  shape(text: string): KernedGlyphs | undefined {
    const script = this.read(text);
    return script === undefined ? undefined : this.pairs(script)?.shape(this.places, text.length);
  }

  /** Learns from fontkit's shaping of `text` the adjustments of its pairs. */
  learn(text: string, run: fontkit.GlyphRun): void {
    const script = this.read(text);
    if (script !== undefined && run.script === script) this.pairs(script)?.learn(this.places, text.length, run);
  }

  /** Puts `text`'s characters' places in `places`; gives fontkit's script for it, undefined when not one of these texts. */
  private read(text: string): string | undefined {
    const n = text.length;
    if (n < 2 || n > this.places.length) return undefined;
    let latin = false;
    for (let i = 0; i < n; i++) {
      const code = text.charCodeAt(i);
      const place = placeOf(code);
      if (place < 0) return undefined;
      this.places[i] = place;
      if (isLetter(code)) latin = true;
    }
    // fontkit's script for a text: that of its first character not of the Common script, else Unknown.
    return latin ? "latn" : "zzzz";
  }

  private pairs(script: string): ScriptPairs | undefined {
    if (!this.scripts.has(script))
      this.scripts.set(script, shapedByPairs(this.font) ? new ScriptPairs(this.font, script, this.glyphs) : undefined);
    return this.scripts.get(script);
  }
}

/** fontkit shapes with OpenType tables, without variations (AAT `morx` fonts go to another engine). */
function shapedByPairs(font: fontkit.Font): boolean {
  const varied = (table: unknown) => !!(table as { featureVariations?: unknown } | undefined)?.featureVariations;
  return !font.morx && (!!font.GSUB || !!font.GPOS) && !varied(font.GSUB) && !varied(font.GPOS);
}

const PAIR_ADJUSTMENT = 2;
/** The lookup type that wraps another type's subtable: 7 in GSUB, 9 in GPOS. */
const SUBSTITUTION_EXTENSION = 7;
const POSITIONING_EXTENSION = 9;
/** Script tags fontkit falls back to when a table has none for the text's script. */
const FALLBACK_SCRIPTS = ["DFLT", "dflt", "latn"];

/** fontkit decodes some arrays lazily (`toArray` reads them whole). */
type Decoded<T> = T[] | { toArray(): T[] };
const items = <T>(a: Decoded<T>): T[] => (Array.isArray(a) ? a : a.toArray());

interface Coverage {
  version: number;
  glyphs?: Decoded<number>;
  rangeRecords?: Decoded<{ start: number; end: number }>;
}
interface LayoutTable {
  scriptList: { tag: string; script: { defaultLangSys?: LangSys; langSysRecords: { langSys: LangSys }[] } }[];
  featureList: { tag: string; feature: { lookupListIndexes: number[] } }[];
  lookupList: {
    get(i: number): {
      lookupType: number;
      flags: LookupFlags;
      subTables: Decoded<Record<string, unknown>>;
    };
  };
}
interface LookupFlags {
  markAttachmentType: number;
  flags: Record<string, boolean>;
}
interface LangSys {
  reqFeatureIndex: number;
  featureIndexes: number[];
}

/**
 * The lookups of `table` fontkit could apply to a text of `script`: those of every language (fontkit takes the
 * default one) of the script's entry and of the entries it falls back to, for every feature of APPLIED and
 * the required one.
 */
function appliedLookups(t: LayoutTable, script: string): Set<number> {
  const lookups = new Set<number>();
  for (const entry of t.scriptList) {
    if (entry.tag !== script && !FALLBACK_SCRIPTS.includes(entry.tag)) continue;
    for (const lang of [entry.script.defaultLangSys, ...entry.script.langSysRecords.map((r) => r.langSys)]) {
      if (!lang) continue;
      for (const index of [lang.reqFeatureIndex, ...lang.featureIndexes]) {
        const record = t.featureList[index];
        if (!record || (index !== lang.reqFeatureIndex && !APPLIED.has(record.tag))) continue;
        for (const l of record.feature.lookupListIndexes) lookups.add(l);
      }
    }
  }
  return lookups;
}

/**
 * Whether the pair adjustments of GPOS that fontkit could apply to a text of `script` skip no glyph (no
 * lookup flag) and move only their first glyph's advance, so that a glyph's advance is its width plus what
 * the pair it starts adds.
 */
function plainPairs(table: unknown, script: string): boolean {
  if (!table) return true;
  const t = table as LayoutTable;
  for (const l of appliedLookups(t, script)) {
    const lookup = t.lookupList.get(l);
    for (let sub of items(lookup.subTables)) {
      let type = lookup.lookupType;
      if (type === POSITIONING_EXTENSION) {
        type = sub.lookupType as number;
        sub = sub.extension as Record<string, unknown>;
      }
      if (type !== PAIR_ADJUSTMENT) continue;
      const flags = skipsGlyphs(lookup);
      const first = Object.entries(sub.valueFormat1 as Record<string, boolean>).some(
        ([k, on]) => on && k !== "xAdvance",
      );
      const second = Object.values(sub.valueFormat2 as Record<string, boolean>).some(Boolean);
      if (flags || first || second) return false;
    }
  }
  return true;
}

/** Whether a lookup's flags may make it skip glyphs (marks, ligatures, bases) or read them right to left. */
const skipsGlyphs = (lookup: { flags: LookupFlags }): boolean =>
  Object.values(lookup.flags.flags).some(Boolean) || lookup.flags.markAttachmentType !== 0;

/** A lookup may act at its first glyph whatever follows. */
const ANY = "any" as const;
type Followers = Set<number> | typeof ANY;

/**
 * The glyphs of `among` that any lookup of `table` fontkit could apply to a text of `script` starts at, from
 * lookups whose type `counts`, each with the glyphs whose following it the lookup needs to act (ANY when it may act
 * whatever follows). Undefined when a subtable's coverage cannot be read.
 */
function startingGlyphs(
  table: unknown,
  script: string,
  among: ReadonlySet<number>,
  extension: number,
  counts: (type: number) => boolean,
): Map<number, Followers> | undefined {
  const starts = new Map<number, Followers>();
  if (!table) return starts;
  const t = table as LayoutTable;
  for (const l of appliedLookups(t, script)) {
    const lookup = t.lookupList.get(l);
    const skips = skipsGlyphs(lookup);
    for (let sub of items(lookup.subTables)) {
      let type = lookup.lookupType;
      if (type === extension) {
        type = sub.lookupType as number;
        sub = sub.extension as Record<string, unknown>;
      }
      if (!counts(type)) continue;
      const coverage = startCoverage(sub);
      if (!coverage) return undefined;
      // A lookup that skips glyphs may look past the next one: it may act whatever follows.
      const next = extension === SUBSTITUTION_EXTENSION && !skips ? nextGlyphs(sub, type) : () => ANY;
      for (const g of coveredBy(coverage)) if (among.has(g)) starts.set(g, joined(starts.get(g), next(g)));
    }
  }
  return starts;
}

const joined = (a: Followers | undefined, b: Followers): Followers =>
  a === undefined ? b : a === ANY || b === ANY ? ANY : new Set([...a, ...b]);

/**
 * For a substitution's first glyph, the glyphs one of which must follow it for the substitution to act: a
 * ligature's second components, or what a context (of given glyphs, or of classes) wants second. ANY for
 * every other substitution, and where a context would take a glyph of any class.
 */
function nextGlyphs(sub: Record<string, unknown>, type: number): (glyph: number) => Followers {
  const LIGATURE = 4;
  const CONTEXT = 5;
  const CHAINED_CONTEXT = 6;
  if (type === LIGATURE && isDecodedArray(sub.ligatureSets)) {
    const next = new Set<number>();
    for (const set of items(sub.ligatureSets as Decoded<Decoded<{ components: number[] }>>))
      for (const ligature of items(set)) {
        if (ligature.components.length === 0) return () => ANY;
        next.add(ligature.components[0]);
      }
    return () => next;
  }
  if (type === CHAINED_CONTEXT && isDecodedArray(sub.chainClassSet)) return chainedClassesNext(sub);
  const second =
    type === CONTEXT && isDecodedArray(sub.coverages)
      ? items(sub.coverages)[1]
      : type === CHAINED_CONTEXT && isDecodedArray(sub.inputCoverage)
        ? (items(sub.inputCoverage)[1] ??
          (isDecodedArray(sub.lookaheadCoverage) ? items(sub.lookaheadCoverage)[0] : undefined))
        : undefined;
  const next: Followers = isCoverage(second) ? new Set(coveredBy(second)) : ANY;
  return () => next;
}

interface ClassDef {
  version: number;
  startGlyph?: number;
  classValueArray?: number[];
  classRangeRecord?: { start: number; end: number; class: number }[];
}
interface ChainRule {
  input: number[];
  lookahead: number[];
}

/** A chained context of classes: its rules for the first glyph's class say what class must come second. */
function chainedClassesNext(sub: Record<string, unknown>): (glyph: number) => Followers {
  const input = sub.inputClassDef as ClassDef;
  const lookahead = sub.lookaheadClassDef as ClassDef;
  const sets = items(sub.chainClassSet as Decoded<Decoded<ChainRule> | null>);
  return (glyph) => {
    const rules = sets[classOf(input, glyph)];
    const next = new Set<number>();
    for (const rule of rules ? items(rules) : []) {
      const def = rule.input.length > 0 ? input : lookahead;
      const cls = rule.input.length > 0 ? rule.input[0] : rule.lookahead[0];
      // Class 0 is every glyph the class table does not name; a rule of one glyph acts whatever follows.
      if (cls === undefined || cls === 0) return ANY;
      for (const g of glyphsOfClass(def, cls)) next.add(g);
    }
    return next;
  };
}

/** fontkit's class of `glyph` (0 when the table does not name it). */
function classOf(def: ClassDef, glyph: number): number {
  if (def.classValueArray && def.startGlyph !== undefined) return def.classValueArray[glyph - def.startGlyph] ?? 0;
  for (const r of def.classRangeRecord ?? []) if (r.start <= glyph && glyph <= r.end) return r.class;
  return 0;
}

function glyphsOfClass(def: ClassDef, cls: number): number[] {
  const glyphs: number[] = [];
  const { startGlyph = 0, classValueArray = [], classRangeRecord = [] } = def;
  for (let i = 0; i < classValueArray.length; i++) if (classValueArray[i] === cls) glyphs.push(startGlyph + i);
  for (const r of classRangeRecord) if (r.class === cls) for (let g = r.start; g <= r.end; g++) glyphs.push(g);
  return glyphs;
}

/**
 * The coverage of the glyph a subtable's lookup starts at, which fontkit tests first: a lookup never acts at
 * a glyph outside it (what comes before and after only narrows it further). Undefined when not known.
 */
function startCoverage(sub: Record<string, unknown>): Coverage | undefined {
  for (const key of ["coverage", "markCoverage", "mark1Coverage"]) if (isCoverage(sub[key])) return sub[key];
  for (const key of ["coverages", "inputCoverage"]) {
    const list = sub[key];
    if (isDecodedArray(list)) {
      const first = items(list)[0];
      if (isCoverage(first)) return first;
    }
  }
  return undefined;
}

const isCoverage = (v: unknown): v is Coverage =>
  typeof v === "object" && v !== null && "version" in v && ("glyphs" in v || "rangeRecords" in v);

const isDecodedArray = (v: unknown): v is Decoded<unknown> =>
  Array.isArray(v) ||
  (typeof v === "object" && v !== null && typeof (v as { toArray?: unknown }).toArray === "function");

function coveredBy(c: Coverage): number[] {
  const glyphs = c.glyphs ? [...items(c.glyphs)] : [];
  if (c.rangeRecords) for (const r of items(c.rangeRecords)) for (let g = r.start; g <= r.end; g++) glyphs.push(g);
  return glyphs;
}
