/**
 * The data mask of a QR symbol, chosen as the qrcode library chooses it (ISO/IEC 18004 §7.8.3: the pattern of
 * the eight whose masked symbol has the lowest penalty, the first on a tie). qrcode's own search reads each
 * module through a method call, masks and unmasks the matrix in place for every pattern and scans rows and
 * columns module by module: a twelfth of a statement. Here the symbol is held as bits, 32 rows (or columns) a
 * word, so masking a pattern is a few word operations a line and each penalty rule compares whole lines at
 * once: the same scores, so the same choice and the same symbol.
 */

/** A symbol's modules before masking, row-major `size × size`, with the modules the mask leaves alone. */
export interface UnmaskedSymbol {
  size: number;
  /** 1 is dark; function patterns as they are, data modules unmasked. */
  modules: Uint8Array;
  /** 1 where a module is a function pattern or format/version information: never masked. */
  reserved: Uint8Array;
}

/** The eight mask patterns of ISO/IEC 18004 Table 10: true where the data module is inverted. */
export function maskAt(pattern: number, row: number, col: number): boolean {
  switch (pattern) {
    case 0:
      return (row + col) % 2 === 0;
    case 1:
      return row % 2 === 0;
    case 2:
      return col % 3 === 0;
    case 3:
      return (row + col) % 3 === 0;
    case 4:
      return (Math.floor(row / 2) + Math.floor(col / 3)) % 2 === 0;
    case 5:
      return ((row * col) % 2) + ((row * col) % 3) === 0;
    case 6:
      return (((row * col) % 2) + ((row * col) % 3)) % 2 === 0;
    case 7:
      return (((row * col) % 3) + ((row + col) % 2)) % 2 === 0;
    default:
      throw new Error(`no mask pattern ${pattern}`);
  }
}

/** Error-correction levels: the share of a symbol that can be lost, L ~7%, M ~15%, Q ~25%, H ~30%. */
export type QrLevel = "L" | "M" | "Q" | "H";

/** The error-correction level's two bits in the format information (Table 12): L 01, M 00, Q 11, H 10. */
const LEVEL_BITS: Record<QrLevel, number> = { L: 1, M: 0, Q: 3, H: 2 };

/** The 15 format-information bits of a level and mask: BCH(15,5) over them, XORed with 101010000010010. */
export function formatBits(level: QrLevel, pattern: number): number {
  const data = (LEVEL_BITS[level] << 3) | pattern;
  let rest = data << 10;
  for (let bit = 14; bit >= 10; bit--) if (rest & (1 << bit)) rest ^= 0b10100110111 << (bit - 10);
  return ((data << 10) | rest) ^ 0b101010000010010;
}

/**
 * Writes the format information into `modules` (row-major, `size` a side) at both of its places, bit 0
 * first, as qrcode places it: down column 8 (skipping the timing row) then up from the bottom, and along
 * row 8 from the right edge then left of the timing column; plus the dark module above the bottom copy.
 */
function writeFormat(modules: Uint8Array, size: number, bits: number): void {
  for (let i = 0; i < 15; i++) {
    const bit = (bits >> i) & 1;
    const row = i < 6 ? i : i < 8 ? i + 1 : size - 15 + i;
    modules[row * size + 8] = bit;
    const col = i < 8 ? size - i - 1 : i < 9 ? 15 - i : 15 - i - 1;
    modules[8 * size + col] = bit;
  }
  modules[(size - 8) * size + 8] = 1;
}

/** A square matrix of bits held both ways, each line `words` 32-bit words, bit `j` at word `j >> 5`, bit `j & 31`. */
interface Bits {
  size: number;
  words: number;
  /** Line r holds row r: bit c is the module at (r, c). */
  rows: Int32Array;
  /** Line c holds column c: bit r is the module at (r, c). */
  cols: Int32Array;
}

function bits(size: number): Bits {
  const words = (size + 31) >> 5;
  return { size, words, rows: new Int32Array(size * words), cols: new Int32Array(size * words) };
}

function setBit(b: Bits, row: number, col: number, on: number): void {
  const r = row * b.words + (col >> 5);
  const c = col * b.words + (row >> 5);
  if (on) {
    b.rows[r] |= 1 << (col & 31);
    b.cols[c] |= 1 << (row & 31);
  } else {
    b.rows[r] &= ~(1 << (col & 31));
    b.cols[c] &= ~(1 << (row & 31));
  }
}

/** `m` (row-major bytes, 1 dark) as bits. */
function toBits(m: Uint8Array, size: number): Bits {
  const b = bits(size);
  for (let row = 0; row < size; row++)
    for (let col = 0; col < size; col++) if (m[row * size + col]) setBit(b, row, col, 1);
  return b;
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** The bits of word `i` of a line that stand for modules (the last word's high bits stand for none). */
const validBits = (size: number, i: number): number => (size - 32 * i >= 32 ? -1 : (1 << (size - 32 * i)) - 1);

/**
 * Runs of five or more same-coloured modules (3 + the excess each) and 1:1:3:1:1 finder-like patterns with
 * four light modules on one side in any 11-module window (40 each), along the lines that cross `lines`:
 * given the columns, this scores the rows, 32 of them at once. A bit of `w` says five modules from line k
 * on are one colour: a run of n ≥ 5 sets n − 4 of them, the first of which also counts 2.
 */
function runsAndFinders(lines: Int32Array, size: number, words: number): number {
  let runs = 0;
  let finders = 0;
  for (let i = 0; i < words; i++) {
    const valid = validBits(size, i);
    let before = 0;
    for (let k = 0; k + 4 < size; k++) {
      const at = k * words + i;
      const l0 = lines[at];
      const l1 = lines[at + words];
      const l2 = lines[at + 2 * words];
      const l3 = lines[at + 3 * words];
      const l4 = lines[at + 4 * words];
      const w = ~(l0 ^ l1) & ~(l1 ^ l2) & ~(l2 ^ l3) & ~(l3 ^ l4) & valid;
      runs += popcount(w) + 2 * popcount(w & ~before);
      before = w;
      if (k + 10 >= size) continue;
      const l5 = lines[at + 5 * words];
      const l6 = lines[at + 6 * words];
      const l7 = lines[at + 7 * words];
      const l8 = lines[at + 8 * words];
      const l9 = lines[at + 9 * words];
      const l10 = lines[at + 10 * words];
      // 1 0 1 1 1 0 1 0 0 0 0, and the same backwards.
      const ahead = l0 & ~l1 & l2 & l3 & l4 & ~l5 & l6 & ~(l7 | l8 | l9 | l10);
      const behind = ~(l0 | l1 | l2 | l3) & l4 & ~l5 & l6 & l7 & l8 & ~l9 & l10;
      finders += popcount(ahead & valid) + popcount(behind & valid);
    }
  }
  return runs + 40 * finders;
}

/** 2×2 blocks of one colour (3 each): rows r and r + 1 equal at c and at c + 1, and row r equal at c and c + 1. */
function blocks(b: Bits): number {
  const { rows, size, words } = b;
  let count = 0;
  for (let r = 0; r + 1 < size; r++)
    for (let i = 0; i < words; i++) {
      const at = r * words + i;
      const x = rows[at];
      const y = rows[at + words];
      const last = i === words - 1;
      // Each line shifted by one module: bit c of `xs` is module c + 1 of row r.
      const xs = (x >>> 1) | (last ? 0 : rows[at + 1] << 31);
      const ys = (y >>> 1) | (last ? 0 : rows[at + words + 1] << 31);
      const same = ~(x ^ y) & ~(xs ^ ys) & ~(x ^ xs);
      count += popcount(same & validBits(size - 1, i));
    }
  return 3 * count;
}

/** Penalty of a masked symbol held as bits: the four rules as qrcode scores them. */
function bitsPenalty(b: Bits): number {
  const { rows, size } = b;
  let dark = 0;
  for (let i = 0; i < rows.length; i++) dark += popcount(rows[i]);
  const steps = Math.abs(Math.ceil((dark * 100) / (size * size) / 5) - 10);
  return runsAndFinders(b.cols, size, b.words) + runsAndFinders(b.rows, size, b.words) + blocks(b) + 10 * steps;
}

/**
 * Penalty of a masked symbol (row-major bytes, 1 dark), the four rules as qrcode scores them: runs of five or
 * more same-coloured modules in a row or column (3 + the excess), 2×2 blocks of one colour (3 each), 1:1:3:1:1
 * finder-like patterns with four light modules on one side, counted in any 11-module window of a row or
 * column (40 each), and the dark share's distance from 50% in steps of 5% (10 a step).
 */
export function penalty(m: Uint8Array, size: number): number {
  return bitsPenalty(toBits(m, size));
}

/** Writes the format information for `level` and `pattern` over the bits of a masked symbol. */
function formatIntoBits(b: Bits, level: QrLevel, pattern: number): void {
  const { size } = b;
  const f = formatBits(level, pattern);
  for (let i = 0; i < 15; i++) {
    const bit = (f >> i) & 1;
    setBit(b, i < 6 ? i : i < 8 ? i + 1 : size - 15 + i, 8, bit);
    setBit(b, 8, i < 8 ? size - i - 1 : i < 9 ? 15 - i : 15 - i - 1, bit);
  }
  setBit(b, size - 8, 8, 1);
}

/**
 * A pattern's bits along each line, by the line's place in the pattern's period: rows repeat every 12, columns
 * every 6. `rows[(r % 12) × words + i]` masks row r, `cols[(c % 6) × words + i]` column c.
 */
function patternBits(pattern: number, size: number, words: number): { rows: Int32Array; cols: Int32Array } {
  const rows = new Int32Array(12 * words);
  const cols = new Int32Array(6 * words);
  for (let j = 0; j < size; j++) {
    for (let r = 0; r < 12; r++) if (maskAt(pattern, r, j)) rows[r * words + (j >> 5)] |= 1 << (j & 31);
    for (let c = 0; c < 6; c++) if (maskAt(pattern, j, c)) cols[c * words + (j >> 5)] |= 1 << (j & 31);
  }
  return { rows, cols };
}

/** `symbol` masked with `pattern` into `into`, format information for `level` included. */
function maskBits(unmasked: Bits, free: Bits, level: QrLevel, pattern: number, into: Bits): Bits {
  const { size, words } = unmasked;
  const tile = patternBits(pattern, size, words);
  for (let line = 0; line < size; line++)
    for (let i = 0; i < words; i++) {
      const at = line * words + i;
      into.rows[at] = unmasked.rows[at] ^ (tile.rows[(line % 12) * words + i] & free.rows[at]);
      into.cols[at] = unmasked.cols[at] ^ (tile.cols[(line % 6) * words + i] & free.cols[at]);
    }
  formatIntoBits(into, level, pattern);
  return into;
}

/** The masked symbol of lowest penalty (the first such pattern), as qrcode's search would make it. */
export function maskBest(symbol: UnmaskedSymbol, level: QrLevel): { pattern: number; modules: Uint8Array } {
  const { size, modules, reserved } = symbol;
  const unmasked = toBits(modules, size);
  const free = bits(size);
  for (let row = 0; row < size; row++)
    for (let col = 0; col < size; col++) if (reserved[row * size + col] !== 1) setBit(free, row, col, 1);
  const work = bits(size);
  let best = 0;
  let lowest = Number.POSITIVE_INFINITY;
  for (let pattern = 0; pattern < 8; pattern++) {
    const score = bitsPenalty(maskBits(unmasked, free, level, pattern, work));
    if (score < lowest) {
      lowest = score;
      best = pattern;
    }
  }
  const masked = new Uint8Array(size * size);
  for (let row = 0; row < size; row++)
    for (let col = 0; col < size; col++) {
      const i = row * size + col;
      masked[i] = reserved[i] === 1 || !maskAt(best, row, col) ? modules[i] : modules[i] ^ 1;
    }
  writeFormat(masked, size, formatBits(level, best));
  return { pattern: best, modules: masked };
}
