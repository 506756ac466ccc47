import { constants, crc32, deflateSync } from "node:zlib";
import { ColourIds } from "./colour-ids.ts";

/** A palette PNG holds at most this many colours. */
const PALETTE_SIZE = 256;
/**
 * zlib's run-length strategy (matches only of the byte before) on the Up-filtered indices: on the email's chart
 * 0.49 ms and 16.6 KB, against level 3's 0.66 ms and 16.8 KB on rows filtered only where they repeat (19.9 KB
 * all Up-filtered), levels 1–2 0.6 ms, level 6's 1.9 ms and 15.0 KB: Up-filtered rows are mostly runs of zeros,
 * what the strategy is for.
 */
const DEFLATE_OPTIONS = { level: 3, strategy: constants.Z_RLE };
/** Row filter type (PNG 9.2): the row less the row above (all zeros when it repeats). */
const FILTER_UP = 2;
/** Room for the runs of one colour at first: the email's chart has ~17,000. */
const RUNS_AT_FIRST = 1 << 15;
const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

function pngChunk(type: string, data: Uint8Array): Buffer {
  const chunk = Buffer.allocUnsafe(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write(type, 4, "latin1");
  chunk.set(data, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return chunk;
}

function grown(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * Finds a colour's nearest kept colour (squared distance of RGBA, the lowest place among equals): the kept
 * colours sorted by red, searched outward from the colour's red, up to where the red alone is farther than the
 * nearest found. ~250 colours looked up among 256 take ~20 comparisons each instead of 256.
 */
class NearestColour {
  private byRed: Int32Array;
  private reds: Int32Array;

  constructor(private readonly palette: Int32Array) {
    this.byRed = Int32Array.from(palette.keys()).sort((a, b) => (palette[a] & 255) - (palette[b] & 255) || a - b);
    this.reds = this.byRed.map((i) => palette[i] & 255);
  }

  /** The place in the palette (RGBA words, little-endian: red in the low byte) nearest to `colour`. */
  placeOf(colour: number): number {
    const { byRed, reds, palette } = this;
    const r = colour & 255;
    // The first kept colour whose red is not below the colour's.
    let lo = 0;
    let hi = reds.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (reds[mid] < r) lo = mid + 1;
      else hi = mid;
    }
    let best = -1;
    let least = Number.POSITIVE_INFINITY;
    const consider = (k: number) => {
      const i = byRed[k];
      const c = palette[i];
      const dr = r - (c & 255);
      const dg = ((colour >>> 8) & 255) - ((c >>> 8) & 255);
      const db = ((colour >>> 16) & 255) - ((c >>> 16) & 255);
      const da = (colour >>> 24) - (c >>> 24);
      const d = dr * dr + dg * dg + db * db + da * da;
      if (d < least || (d === least && i < best)) {
        best = i;
        least = d;
      }
    };
    for (let up = lo, down = lo - 1; up < reds.length || down >= 0; ) {
      const upRed = up < reds.length ? (reds[up] - r) ** 2 : Number.POSITIVE_INFINITY;
      const downRed = down >= 0 ? (r - reds[down]) ** 2 : Number.POSITIVE_INFINITY;
      if (Math.min(upRed, downRed) > least) break;
      if (upRed <= downRed) consider(up++);
      else consider(down--);
    }
    return best;
  }
}

/**
 * Writes a row's indices less those of the row above, `width` bytes from `at`: both rows as runs (`ends`, and
 * `indices` of their palette places), the row's from run `first`, the row above's from run `above` (-1: none,
 * the first row). Walks the two rows' runs together, so each stretch where both stay the same is one fill.
 */
function upFiltered(
  out: Uint8Array,
  at: number,
  width: number,
  ends: Int32Array,
  indices: Int32Array,
  first: number,
  above: number,
): void {
  let r = first;
  let a = above;
  for (let x = 0; x < width; ) {
    const end = a < 0 ? ends[r] : Math.min(ends[r], ends[a]);
    const value = a < 0 ? indices[r] : (indices[r] - indices[a]) & 255;
    if (end - x > 32) out.fill(value, at + x, at + end);
    else for (let p = at + x; p < at + end; p++) out[p] = value;
    if (ends[r] === end) r++;
    if (a >= 0 && ends[a] === end) a++;
    x = end;
  }
}

/**
 * The pixels as an 8-bit palette PNG. A chart is flat colour plus the anti-aliased edges of its text and lines:
 * the email's 1104×520 chart has ~490 colours, most of them a few pixels of a text edge. The 256 colours most
 * pixels have (counted over the rows that differ from the row above) are kept exactly; each other colour is
 * drawn in the kept colour nearest to it, which moves a text edge's pixel by a few levels of grey. One byte a
 * pixel instead of four, and a row that repeats the row above is a row of zeros: deflating it costs a quarter of
 * deflating the RGBA pixels, and the file is half the size. Synchronous: the caller's buffers are free again
 * when it returns.
 * `rgba` is premultiplied RGBA, as Skia stores it (`canvas.data()`); `filtered` is where the rows are written,
 * (width + 1) × height bytes or more, kept by the caller from one image to the next: an image's worth of bytes
 * made afresh for each one is memory outside V8's heap that makes V8 collect its whole heap every few images.
 */
export function indexedPng(rgba: Uint8Array, width: number, height: number, filtered: Uint8Array): Buffer {
  const pixels = new Int32Array(rgba.buffer, rgba.byteOffset, width * height);
  const bytes = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  const rowBytes = width * 4;
  const repeats = new Uint8Array(height);
  for (let y = 1; y < height; y++) {
    const at = y * rowBytes;
    repeats[y] = bytes.compare(bytes, at - rowBytes, at, at, at + rowBytes) === 0 ? 1 : 0;
  }
  // The runs of one colour in the rows that differ from the row above: where each ends in its row, and its
  // colour's number (`ColourIds`); `firstRun[y]` is row y's first run.
  let ends = new Int32Array(RUNS_AT_FIRST);
  let runColours = new Int32Array(RUNS_AT_FIRST);
  const firstRun = new Int32Array(height + 1);
  let runs = 0;
  const ids = new ColourIds();
  let counts = new Int32Array(1024);
  for (let y = 0; y < height; y++) {
    firstRun[y] = runs;
    if (repeats[y]) continue;
    const row = y * width;
    let x = 0;
    while (x < width) {
      const colour = pixels[row + x];
      let end = x + 1;
      while (end < width && pixels[row + end] === colour) end++;
      const id = ids.idOf(colour);
      if (id === counts.length) counts = grown(counts);
      counts[id] += end - x;
      if (runs === ends.length) {
        ends = grown(ends);
        runColours = grown(runColours);
      }
      ends[runs] = end;
      runColours[runs++] = id;
      x = end;
    }
  }
  firstRun[height] = runs;

  const { colours, size } = ids;
  // The colours by count, most first, and among equal counts first met first: each a number whose order is
  // that, sorted by the typed array's own sort (no comparator called ~4,000 times).
  const order = new Float64Array(size);
  for (let id = 0; id < size; id++) order[id] = counts[id] * size + (size - 1 - id);
  order.sort();
  const kept = new Int32Array(Math.min(size, PALETTE_SIZE));
  const index = new Uint8Array(size);
  const idAt = (i: number) => size - 1 - (order[size - 1 - i] % size);
  for (let i = 0; i < kept.length; i++) {
    kept[i] = colours[idAt(i)];
    index[idAt(i)] = i;
  }
  if (size > PALETTE_SIZE) {
    const nearest = new NearestColour(kept);
    for (let i = PALETTE_SIZE; i < size; i++) index[idAt(i)] = nearest.placeOf(colours[idAt(i)]);
  }
  for (let r = 0; r < runs; r++) runColours[r] = index[runColours[r]];

  // Each row filtered by the row above (Up): a repeated row is zeros, and so is most of a row that differs from
  // the row above in a few places, which zlib's run-length strategy then packs. The row above's indices are those
  // of the last row that did not repeat. The first row is filtered by a row of zeros: its own indices.
  let above = -1;
  for (let y = 0; y < height; y++) {
    const at = y * (width + 1);
    filtered[at] = FILTER_UP;
    if (repeats[y]) filtered.fill(0, at + 1, at + 1 + width);
    else {
      upFiltered(filtered, at + 1, width, ends, runColours, firstRun[y], above);
      above = firstRun[y];
    }
  }

  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per index
  header[9] = 3; // palette colour
  const palette = Buffer.alloc(kept.length * 3);
  const alpha = Buffer.alloc(kept.length);
  kept.forEach((c, i) => {
    const a = c >>> 24;
    // Premultiplied, as Skia stores them: a translucent colour's channels are divided by its alpha.
    const straight = (v: number) => (a === 255 || a === 0 ? v : Math.min(255, Math.round((v * 255) / a)));
    palette[i * 3] = straight(c & 255);
    palette[i * 3 + 1] = straight((c >>> 8) & 255);
    palette[i * 3 + 2] = straight((c >>> 16) & 255);
    alpha[i] = a;
  });
  const opaque = alpha.every((a) => a === 255);
  const idat = deflateSync(filtered.subarray(0, (width + 1) * height), DEFLATE_OPTIONS);
  return Buffer.concat([
    SIGNATURE,
    pngChunk("IHDR", header),
    pngChunk("PLTE", palette),
    ...(opaque ? [] : [pngChunk("tRNS", alpha)]),
    pngChunk("IDAT", idat),
    pngChunk("IEND", new Uint8Array(0)),
  ]);
}
