/**
 * The data mask of a QR symbol, chosen as the qrcode library chooses it (ISO/IEC 18004 §7.8.3: the pattern of
 * the eight whose masked symbol has the lowest penalty, the first on a tie), on flat arrays. qrcode's own search
 * reads each module through a method call, masks and unmasks the matrix in place for every pattern and scans
 * rows and columns module by module: a twelfth of a statement. Here each pattern is masked into one work buffer
 * and scored in one pass a direction, for the same choice and so the same symbol.
 */

/** A symbol's modules before masking, row-major `size × size`, with the modules the mask leaves alone. */
export interface UnmaskedSymbol {
  size: number;
  /** 1 is dark; function patterns as they are, data modules unmasked; each pattern tried writes its format information here. */
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
export function writeFormat(modules: Uint8Array, size: number, bits: number): void {
  for (let i = 0; i < 15; i++) {
    const bit = (bits >> i) & 1;
    const row = i < 6 ? i : i < 8 ? i + 1 : size - 15 + i;
    modules[row * size + 8] = bit;
    const col = i < 8 ? size - i - 1 : i < 9 ? 15 - i : 15 - i - 1;
    modules[8 * size + col] = bit;
  }
  modules[(size - 8) * size + 8] = 1;
}

/**
 * Runs of five or more same-coloured modules along the rows of `m` (3 + the excess each) and 1:1:3:1:1
 * finder-like patterns with four light modules on one side in any 11-module window of a row (40 each).
 */
function rowPenalty(m: Uint8Array, size: number): number {
  let runs = 0;
  let finders = 0;
  for (let i = 0; i < m.length; i += size) {
    let last = -1;
    let count = 0;
    let bits = 0;
    for (let b = 0; b < size; b++) {
      const v = m[i + b];
      if (v === last) count++;
      else {
        if (count >= 5) runs += count - 2;
        last = v;
        count = 1;
      }
      bits = ((bits << 1) & 0x7ff) | v;
      if ((bits === 0x5d0 || bits === 0x05d) && b >= 10) finders++;
    }
    if (count >= 5) runs += count - 2;
  }
  return runs + 40 * finders;
}

/**
 * Penalty of a masked symbol, `rows` row-major and `cols` the same transposed, the four rules as qrcode
 * scores them: runs and finder-like patterns in rows and columns (`rowPenalty`), 2×2 blocks of one colour
 * (3 each), and the dark share's distance from 50% in steps of 5% (10 a step).
 */
export function penalty(rows: Uint8Array, cols: Uint8Array, size: number): number {
  let blocks = 0;
  let dark = 0;
  for (let i = 0; i < rows.length; i++) dark += rows[i];
  for (let i = 0; i < rows.length - size; i += size) {
    let left = rows[i] + rows[i + size];
    for (let b = 1; b < size; b++) {
      const right = rows[i + b] + rows[i + size + b];
      const block = left + right;
      if (block === 0 || block === 4) blocks++;
      left = right;
    }
  }
  const steps = Math.abs(Math.ceil((dark * 100) / rows.length / 5) - 10);
  return rowPenalty(rows, size) + rowPenalty(cols, size) + 3 * blocks + 10 * steps;
}

/** A mask pattern repeats every 12 rows and 6 columns: its tile, `tile[(row % 12) * 6 + col % 6]` is 1 where it inverts. */
function maskTile(pattern: number): Uint8Array {
  const tile = new Uint8Array(72);
  for (let row = 0; row < 12; row++)
    for (let col = 0; col < 6; col++) tile[row * 6 + col] = maskAt(pattern, row, col) ? 1 : 0;
  return tile;
}

/** A masked symbol row-major and transposed, the buffers `maskBest` scores. */
interface Masked {
  rows: Uint8Array;
  cols: Uint8Array;
}

/** Masks `symbol`'s data modules with `pattern` into `into`, format information for `level` included. */
function applyMask(symbol: UnmaskedSymbol, level: QrLevel, pattern: number, into: Masked): Masked {
  const { size, modules, reserved } = symbol;
  const tile = maskTile(pattern);
  const { rows, cols } = into;
  writeFormat(modules, size, formatBits(level, pattern));
  for (let row = 0, i = 0; row < size; row++) {
    const base = (row % 12) * 6;
    for (let col = 0, phase = 0; col < size; col++, i++) {
      const v = modules[i] ^ (tile[base + phase] & (reserved[i] ^ 1));
      rows[i] = v;
      cols[col * size + row] = v;
      phase = phase === 5 ? 0 : phase + 1;
    }
  }
  return into;
}

/** The masked symbol of lowest penalty (the first such pattern), as qrcode's search would make it. */
export function maskBest(symbol: UnmaskedSymbol, level: QrLevel): { pattern: number; modules: Uint8Array } {
  const n = symbol.modules.length;
  const work: Masked = { rows: new Uint8Array(n), cols: new Uint8Array(n) };
  let best = 0;
  let lowest = Number.POSITIVE_INFINITY;
  for (let pattern = 0; pattern < 8; pattern++) {
    const { rows, cols } = applyMask(symbol, level, pattern, work);
    const score = penalty(rows, cols, symbol.size);
    if (score < lowest) {
      lowest = score;
      best = pattern;
    }
  }
  return { pattern: best, modules: applyMask(symbol, level, best, work).rows };
}
