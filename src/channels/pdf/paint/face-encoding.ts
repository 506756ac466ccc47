import type { Deflater } from "../../../core/index.ts";
import { type LoadedFont, shapeText } from "../fonts.ts";
import type { PdfkitEmbeddedFont, PdfkitGlyphPosition, PdfkitShapedRun } from "./pdfkit-internals.ts";
import { embedSubset, hex4, noteGlyphText } from "./subsets.ts";
import type { RunPart, WordPart } from "./text-parts.ts";

const SPACE = 32;
const TAB = 9;

/** pdfkit's number format: at most six decimals. */
const num = (n: number): number => Math.round(n * 1e6) / 1e6;

/**
 * `text` as one piece of memory. V8 keeps a string built by `+=` as a tree of the pieces it was built from
 * (a run's operand: one leaf every four hex digits), and walks the whole tree again each time the string is
 * copied out, as every statement's page contents copy its runs' operands. Reading it as a number flattens the
 * tree into one string in place, once, for a string kept and copied as often as these.
 */
function flat(text: string): string {
  Number(text);
  return text;
}

/** The word's part, made the first time a thread paints the shaped word. */
function partOf(loaded: LoadedFont, run: PdfkitShapedRun): WordPart {
  if (run.part) return run.part;
  const p: WordPart = {
    head: "",
    kerning: undefined,
    middle: "",
    tail: "",
    offset: false,
    gids: [],
    markedIn: undefined,
  };
  let segment = "";
  const positions = run.positions;
  for (let g = 0; g < run.glyphs.length; g++) {
    const glyph = run.glyphs[g];
    const { xAdvance, advanceWidth, xOffset, yOffset } = positions[g];
    noteGlyphText(loaded.tables, glyph);
    p.gids.push(glyph.id);
    if (xOffset !== 0 || yOffset !== 0) p.offset = true;
    segment += hex4(glyph.id);
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
  run.part = p;
  return p;
}

/**
 * pdfkit's `encode` for one face of one document, from the face's shaped words, and `textArray`, a run's TJ
 * operand joined from its words' parts, which each thread makes once (`partOf`). Each word of a run is looked
 * up in the face's cache, shaped when missing; the first time a document paints a word, the word's glyphs
 * join the document's subset, which the face embeds at the end (subsets.ts), its program compressed by
 * `deflater`.
 */
export function encodeFromShapedWords(
  doc: PDFKit.PDFDocument,
  face: PdfkitEmbeddedFont,
  loaded: LoadedFont,
  deflater: Deflater,
): void {
  /** The glyphs this document paints in this face, by glyph id. */
  const painted = new Uint8Array(loaded.font.numGlyphs);
  embedSubset(doc, face, loaded.tables, painted, deflater);
  /**
   * This document's mark on the words and runs it has marked: a token, not `painted` itself, so that a cached word
   * does not keep the last statement that painted it (a table of the face's glyphs) alive.
   */
  const mark = {};
  const shaped = (key: string): PdfkitShapedRun => {
    let run = loaded.words.get(key);
    if (!run) {
      run = shapeText(loaded, key);
      loaded.words.set(key, run);
    }
    return run;
  };
  /** `p`, its glyphs marked as painted in this document. */
  const marked = (p: WordPart): WordPart => {
    if (p.markedIn !== mark) {
      for (const gid of p.gids) painted[gid] = 1;
      p.markedIn = mark;
    }
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
  face.encode = (text) => {
    const out: string[] = [];
    const positions: PdfkitGlyphPosition[] = [];
    eachWord(text, (key) => {
      const run = shaped(key);
      marked(partOf(loaded, run));
      const places = run.positions;
      for (let g = 0; g < run.glyphs.length; g++) {
        out.push(hex4(run.glyphs[g].id));
        positions.push(places[g] as unknown as PdfkitGlyphPosition);
      }
    });
    return [out, positions];
  };
  /** A run's operand and the parts of its words, joined from the words' parts the first time a thread paints the run. */
  const runOf = (text: string): RunPart => {
    let run = loaded.runs.get(text);
    if (run) return run;
    let tj = "";
    let segment = "";
    let offset = false;
    const words: WordPart[] = [];
    eachWord(text, (key) => {
      const p = partOf(loaded, shaped(key));
      words.push(p);
      if (p.offset) offset = true;
      if (p.kerning === undefined) {
        segment += p.head;
        return;
      }
      tj += `${tj === "" ? "" : " "}<${segment}${p.head}> ${p.kerning}${p.middle}`;
      segment = p.tail;
    });
    if (segment !== "") tj = `${tj}${tj === "" ? "" : " "}<${segment}> 0`;
    run = { tj: offset ? undefined : flat(tj), words, markedIn: undefined };
    loaded.runs.set(text, run);
    return run;
  };
  face.textArray = (text) => {
    const run = runOf(text);
    if (run.markedIn !== mark) {
      for (const p of run.words) marked(p);
      run.markedIn = mark;
    }
    return run.tj;
  };
}
