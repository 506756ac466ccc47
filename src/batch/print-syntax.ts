/**
 * Just enough of PDF's object syntax (ISO 32000-1 §7.2–7.3) to copy a statement's objects into a print file:
 * where a value ends, where its indirect references are, and the keys of a top-level dictionary. Strings, names
 * and comments are stepped over whole, so a reference is only ever found where one is written, never inside a
 * string; stream data is not read here at all.
 */

const SPACE = new Uint8Array(256);
for (const c of [0, 9, 10, 12, 13, 32]) SPACE[c] = 1;
/** Whitespace and delimiters: what ends a name, number or keyword. */
const ENDS = new Uint8Array(256);
for (let c = 0; c < 256; c++) ENDS[c] = SPACE[c]!;
for (const c of "()<>[]{}/%") ENDS[c.charCodeAt(0)] = 1;

const isDigit = (c: number | undefined) => c !== undefined && c >= 48 && c <= 57;

/** A top-level dictionary's keys (`/Type`) and where each value's text starts and ends. */
export type Keys = Map<string, [start: number, end: number]>;

/**
 * Indirect references found while reading values, as flat quadruples: where `N G R` starts, where it ends,
 * N and G.
 */
export type Refs = number[];

export class PdfSyntax {
  constructor(
    readonly bytes: Uint8Array,
    /** The file the bytes are, named by every error. */
    readonly file: string,
  ) {}

  fail(why: string, at: number): never {
    throw new Error(`${this.file}: ${why} (byte ${at})`);
  }

  /** The first byte at or after `p` that is neither whitespace nor in a comment. */
  skipSpace(p: number): number {
    const b = this.bytes;
    for (;;) {
      while (p < b.length && SPACE[b[p]!]) p++;
      if (b[p] !== 37) return p; // %: a comment to the end of its line
      while (p < b.length && b[p] !== 10 && b[p] !== 13) p++;
    }
  }

  /** The end of the token (name, number, keyword) at `p`. */
  tokenEnd(p: number): number {
    const b = this.bytes;
    p++;
    while (p < b.length && !ENDS[b[p]!]) p++;
    return p;
  }

  /** The unsigned integer written from `p` to `end`. */
  integer(p: number, end: number): number {
    let n = 0;
    for (; p < end; p++) {
      const c = this.bytes[p]!;
      if (c < 48 || c > 57) this.fail("expected an unsigned integer", p);
      n = n * 10 + c - 48;
    }
    return n;
  }

  /** True when `word` is written at `p` as a whole token. */
  isKeyword(p: number, word: string): boolean {
    const b = this.bytes;
    for (let i = 0; i < word.length; i++) if (b[p + i] !== word.charCodeAt(i)) return false;
    const after = b[p + word.length];
    return after === undefined || ENDS[after] === 1;
  }

  latin1(start: number, end: number): string {
    let s = "";
    for (let p = start; p < end; p++) s += String.fromCharCode(this.bytes[p]!);
    return s;
  }

  /**
   * Reads the value at `p` (after any whitespace) and returns where it ends. Its references are pushed on
   * `refs`; when `keys` is given and the value is a dictionary, its keys are set there (nested ones are not).
   */
  value(p: number, refs: Refs, keys?: Keys): number {
    const b = this.bytes;
    p = this.skipSpace(p);
    const c = b[p];
    if (c === undefined) this.fail("the file ends inside an object", p);
    if (c === 60 && b[p + 1] === 60) return this.dictionary(p + 2, refs, keys);
    if (c === 60) {
      const end = b.indexOf(62, p);
      if (end < 0) this.fail("a hex string is not closed", p);
      return end + 1;
    }
    if (c === 91) {
      for (p = this.skipSpace(p + 1); b[p] !== 93; p = this.skipSpace(p)) p = this.value(p, refs);
      return p + 1;
    }
    if (c === 40) return this.literalString(p);
    if (c === 47) return this.tokenEnd(p);
    if (ENDS[c]) this.fail(`unexpected "${String.fromCharCode(c)}"`, p);
    const end = this.tokenEnd(p);
    return isDigit(c) ? this.maybeReference(p, end, refs) : end;
  }

  private dictionary(p: number, refs: Refs, keys: Keys | undefined): number {
    const b = this.bytes;
    for (p = this.skipSpace(p); !(b[p] === 62 && b[p + 1] === 62); p = this.skipSpace(p)) {
      if (b[p] !== 47) this.fail("expected a dictionary key", p);
      const key = p;
      const keyEnd = this.tokenEnd(p);
      const start = this.skipSpace(keyEnd);
      p = this.value(start, refs);
      keys?.set(this.latin1(key, keyEnd), [start, p]);
    }
    return p + 2;
  }

  /** `N G R` when the integer at `p` starts one (it is pushed on `refs`), else the integer alone. */
  private maybeReference(p: number, end: number, refs: Refs): number {
    const b = this.bytes;
    for (let i = p; i < end; i++) if (!isDigit(b[i])) return end;
    const genAt = this.skipSpace(end);
    if (genAt === end || !isDigit(b[genAt])) return end;
    const genEnd = this.tokenEnd(genAt);
    const rAt = this.skipSpace(genEnd);
    if (rAt === genEnd || !this.isKeyword(rAt, "R")) return end;
    for (let i = genAt; i < genEnd; i++) if (!isDigit(b[i])) return end;
    refs.push(p, rAt + 1, this.integer(p, end), this.integer(genAt, genEnd));
    return rAt + 1;
  }

  private literalString(p: number): number {
    const b = this.bytes;
    let depth = 0;
    for (let i = p; i < b.length; i++) {
      const c = b[i];
      if (c === 92) i++;
      else if (c === 40) depth++;
      else if (c === 41 && --depth === 0) return i + 1;
    }
    return this.fail("a string is not closed", p);
  }
}
