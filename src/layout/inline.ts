import { problem } from "../core/index.ts";
import type { LayoutEnv } from "./flowable.ts";
import type { FontMetrics } from "./metrics.ts";
import type { LinkTarget, Painter, TextStyle } from "./painter.ts";

/** A piece of text in one style: what inline markup (`<b>`, `<i>`, `<a>`) turns into. */
export interface Span {
  text: string;
  style: TextStyle;
  link?: LinkTarget;
}

export type Align = "left" | "center" | "right";

/** A run of one style on one line, positioned relative to the line's left edge. */
export interface PlacedRun {
  text: string;
  x: number;
  width: number;
  style: TextStyle;
  link?: LinkTarget;
}

export interface Line {
  runs: PlacedRun[];
  width: number;
  height: number;
  /** Baseline offset from the line's top. */
  baseline: number;
}

interface Piece {
  text: string;
  width: number;
  style: TextStyle;
  link?: LinkTarget;
  space: boolean;
  newline: boolean;
}

const NEWLINE = 10;
const SPACE = 32;
const TAB = 9;

/** Breaks spans into lines no wider than `width` (greedy, at spaces; a word wider than a line is cut). */
export function breakLines(spans: readonly Span[], width: number, env: LayoutEnv, lineHeight: number): Line[] {
  const pieces: Piece[] = [];
  // A space's width, asked of the metrics once a style rather than once a space (a look-up in the face's words).
  let space: Piece | undefined;
  let spaceWidth = 0;
  // Break opportunities: runs of spaces and tabs (a no-break space glues, as in `12,50 €`), and forced
  // newlines, each its own piece; a scan of character codes, as a split at a pattern made a string a part
  // and a test of each.
  for (const span of spans) {
    const { text, style, link } = span;
    for (let i = 0; i < text.length; ) {
      const c = text.charCodeAt(i);
      let end = i + 1;
      if (c === NEWLINE) {
        pieces.push({ text: "\n", width: 0, style, link, space: false, newline: true });
      } else if (c === SPACE || c === TAB) {
        while (end < text.length && (text.charCodeAt(end) === SPACE || text.charCodeAt(end) === TAB)) end++;
        // One piece for every space of a style and link: pieces are read, never changed.
        if (style !== space?.style || link !== space.link) {
          if (style !== space?.style) spaceWidth = env.metrics.width(" ", style.font, style.size);
          space = { text: " ", width: spaceWidth, style, link, space: true, newline: false };
        }
        pieces.push(space);
      } else {
        for (let d = text.charCodeAt(end); end < text.length && d !== NEWLINE && d !== SPACE && d !== TAB; )
          d = text.charCodeAt(++end);
        const word = text.slice(i, end);
        checkGlyphs(word, style.font, env);
        pieces.push({
          text: word,
          width: widthForBreaking(word, style, width, env.metrics),
          style,
          link,
          space: false,
          newline: false,
        });
      }
      i = end;
    }
  }
  const lines: Piece[][] = [];
  let line: Piece[] = [];
  let lineWidth = 0;
  // Whether the line holds a word yet (spaces alone do not count).
  let worded = false;
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i];
    if (p.newline) {
      line = endLine(lines, line);
      lineWidth = 0;
      worded = false;
      continue;
    }
    if (p.space) {
      if (line.length > 0 && !line[line.length - 1].space) {
        line.push(p);
        lineWidth += p.width;
      }
      continue;
    }
    // A word is this piece and the non-space pieces glued to it (`<b>12</b>kWh`).
    let j = i;
    let wordWidth = 0;
    while (j < pieces.length && !pieces[j].space && !pieces[j].newline) wordWidth += pieces[j++].width;
    if (lineWidth + wordWidth > width && worded) {
      line = endLine(lines, line);
      lineWidth = 0;
    }
    for (let k = i; k < j; k++) {
      const q = pieces[k];
      if (q.width > width - lineWidth && lineWidth + wordWidth > width) {
        for (const cut of cutWord(q, width - lineWidth, width, env.metrics)) {
          if (lineWidth + cut.width > width + 0.01 && line.length > 0) {
            line = endLine(lines, line);
            lineWidth = 0;
          }
          line.push(cut);
          lineWidth += cut.width;
        }
      } else {
        line.push(q);
        lineWidth += q.width;
      }
    }
    worded = true;
    i = j - 1;
  }
  if (line.length > 0 || lines.length === 0) endLine(lines, line);
  return lines.map((l) => placeLine(l, spans[0]?.style, env.metrics, lineHeight));
}

/**
 * Below any character's advance in an em: a word of more characters than a line of this advance holds twice
 * over is tried for the bound in `widthForBreaking` (the gate only; the bound itself is measured).
 */
const MIN_ADVANCE = 0.25;

/**
 * A word's shaped width, or for a word far wider than its line (a payment link of a hundred characters in
 * a narrow column) a width it is known to exceed: that of a prefix wider than the line by more than an em.
 * Such a word is cut whatever its exact width (it exceeds every room a line leaves: `breakLines` compares
 * it with nothing smaller), and shaping it whole cost more than shaping the pieces it is cut into. A piece
 * widens with its characters (as `cutWord` relies on); the em covers what the characters after the prefix
 * could change at its end (a kerning pair, a ligature).
 */
function widthForBreaking(word: string, style: TextStyle, width: number, metrics: FontMetrics): number {
  const { font, size } = style;
  if (word.length * size * MIN_ADVANCE <= 2 * width) return metrics.width(word, font, size);
  const chars = Array.from(word);
  let end = 0;
  for (let guess = 0; end < chars.length && guess <= width + 2 * size; end++)
    guess += metrics.width(chars[end], font, size);
  if (end < chars.length) {
    const prefix = metrics.width(chars.slice(0, end).join(""), font, size);
    if (prefix > width + size) return prefix;
  }
  return metrics.width(word, font, size);
}

/** Ends `line` (without the spaces it ends with) and adds it to `lines`; returns the next, empty line. */
function endLine(lines: Piece[][], line: Piece[]): Piece[] {
  while (line.length > 0 && line[line.length - 1].space) line.pop();
  lines.push(line);
  return [];
}

/**
 * Cuts a word wider than a line into pieces that fit, the first into `room`: each piece takes as many
 * characters as fit (at least one). Where a piece ends is first guessed from the characters' own widths
 * (measured once each and shared by every statement), then settled by measuring the piece as shaped, one
 * character more or less at a time; a piece's width grows with its characters, so this is the cut that
 * trying every length from one would find, at a few shapings a line instead of one a character.
 */
function cutWord(p: Piece, room: number, width: number, metrics: FontMetrics): Piece[] {
  const { font, size } = p.style;
  const chars = Array.from(p.text);
  const measure = (from: number, to: number) => metrics.width(chars.slice(from, to).join(""), font, size);
  const out: Piece[] = [];
  let start = 0;
  let limit = room > size ? room : width;
  while (start < chars.length) {
    let end = start + 1;
    let guess = metrics.width(chars[start], font, size);
    while (end < chars.length && guess + metrics.width(chars[end], font, size) <= limit)
      guess += metrics.width(chars[end++], font, size);
    let w = measure(start, end);
    while (end > start + 1 && w > limit) w = measure(start, --end);
    for (let next = end < chars.length ? measure(start, end + 1) : Number.POSITIVE_INFINITY; next <= limit; ) {
      w = next;
      next = ++end < chars.length ? measure(start, end + 1) : Number.POSITIVE_INFINITY;
    }
    out.push({ ...p, text: chars.slice(start, end).join(""), width: w });
    start = end;
    limit = width;
  }
  return out;
}

/** Merges neighbouring pieces of the same style into runs and sets the line's height and baseline. */
function placeLine(pieces: Piece[], fallback: TextStyle | undefined, metrics: FontMetrics, lineHeight: number): Line {
  const runs: PlacedRun[] = [];
  let x = 0;
  let ascent = 0;
  let descent = 0;
  let size = 0;
  for (const p of pieces) {
    const last = runs[runs.length - 1];
    if (last && last.style === p.style && last.link === p.link) {
      last.text += p.text;
      last.width += p.width;
    } else {
      runs.push({ text: p.text, x, width: p.width, style: p.style, link: p.link });
    }
    x += p.width;
    ascent = Math.max(ascent, metrics.ascent(p.style.font, p.style.size));
    descent = Math.max(descent, metrics.descent(p.style.font, p.style.size));
    size = Math.max(size, p.style.size);
  }
  if (pieces.length === 0 && fallback) {
    ascent = metrics.ascent(fallback.font, fallback.size);
    descent = metrics.descent(fallback.font, fallback.size);
    size = fallback.size;
  }
  const height = size * lineHeight;
  return { runs, width: x, height, baseline: (height - (ascent + descent)) / 2 + ascent };
}

/** Paints lines from `y` down, aligned inside `width`. */
export function paintLines(
  painter: Painter,
  lines: readonly Line[],
  x: number,
  y: number,
  width: number,
  align: Align,
): void {
  let top = y;
  for (const line of lines) {
    const offset = align === "right" ? width - line.width : align === "center" ? (width - line.width) / 2 : 0;
    for (const run of line.runs)
      painter.text(run.text, x + offset + run.x, top + line.baseline, run.width, run.style, run.link);
    top += line.height;
  }
}

export const linesHeight = (lines: readonly Line[]): number => lines.reduce((h, l) => h + l.height, 0);

/** The widest line the spans would make with no width limit (auto table columns). */
export function naturalWidth(spans: readonly Span[], env: LayoutEnv): number {
  return Math.max(0, ...breakLines(spans, Number.POSITIVE_INFINITY, env, 1).map((l) => l.width));
}

function checkGlyphs(text: string, font: string, env: LayoutEnv): void {
  const missing = env.metrics.missing(text, font);
  if (missing === "") return;
  for (const ch of Array.from(new Set(missing))) {
    const code = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
    env.warn(
      problem(
        "OMD_PDF_MISSING_GLYPH",
        `no embedded font has a glyph for "${ch}" (${code}) in "${text}"`,
        undefined,
        "add a font that covers it to theme.fonts, or change the text",
      ),
    );
  }
}
