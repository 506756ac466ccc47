import { crc32, deflateSync } from "node:zlib";
import { ColourIds } from "./colour-ids.ts";

/** A palette PNG holds at most this many colours. */
const PALETTE_SIZE = 256;
/**
 * zlib's level 3: on the chart's indices (a quarter of its RGBA bytes) 0.6 ms for 17.9 KiB against level 6's
 * 1.9 ms for 15.0 KiB; level 1 saves little CPU for a larger file.
 */
const DEFLATE_LEVEL = 3;
/** Row filter types (PNG 9.2): the row as it is, and the row less the row above (all zeros when it repeats). */
const FILTER_NONE = 0;
const FILTER_UP = 2;
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

/** The index of the colour in `palette` nearest to `colour`. */
function nearest(colour: number, palette: readonly number[]): number {
  let best = 0;
  let least = distance(colour, palette[0]);
  for (let i = 1; i < palette.length && least > 0; i++) {
    const d = distance(colour, palette[i]);
    if (d < least) {
      best = i;
      least = d;
    }
  }
  return best;
}

/** Squared distance of two colours as RGBA words (little-endian: red in the low byte). */
function distance(a: number, b: number): number {
  const r = (a & 255) - (b & 255);
  const g = ((a >>> 8) & 255) - ((b >>> 8) & 255);
  const bl = ((a >>> 16) & 255) - ((b >>> 16) & 255);
  const al = (a >>> 24) - (b >>> 24);
  return r * r + g * g + bl * bl + al * al;
}

/**
 * The pixels as an 8-bit palette PNG. A chart is flat colour plus the anti-aliased edges of its text and lines:
 * the email's 1104×520 chart has ~430 colours, most of them a few pixels of a text edge. The 256 colours most
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
  // colour as a number given to each colour as it is met.
  let ends = new Int32Array(4096);
  let runColours = new Int32Array(4096);
  let runs = 0;
  const ids = new ColourIds();
  let counts = new Int32Array(1024);
  for (let y = 0; y < height; y++) {
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

  const colours = ids.colours;
  const byCount = Array.from({ length: ids.size }, (_, id) => id).sort((a, b) => counts[b] - counts[a]);
  const kept = byCount.slice(0, PALETTE_SIZE).map((id) => colours[id]);
  const index = new Uint8Array(ids.size);
  byCount.forEach((id, i) => {
    if (i < PALETTE_SIZE) index[id] = i;
    else index[id] = nearest(colours[id], kept);
  });

  // Each row: its filter type, then an index a pixel; a repeated row is zeros, filtered by the row above.
  for (let y = 0, r = 0; y < height; y++) {
    const at = y * (width + 1) + 1;
    if (repeats[y]) {
      filtered.fill(0, at - 1, at + width);
      filtered[at - 1] = FILTER_UP;
      continue;
    }
    filtered[at - 1] = FILTER_NONE;
    for (let x = 0; x < width; r++) {
      const i = index[runColours[r]];
      const end = ends[r];
      if (end - x > 64) filtered.fill(i, at + x, at + end);
      else for (let p = at + x; p < at + end; p++) filtered[p] = i;
      x = end;
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
  return Buffer.concat([
    SIGNATURE,
    pngChunk("IHDR", header),
    pngChunk("PLTE", palette),
    ...(opaque ? [] : [pngChunk("tRNS", alpha)]),
    pngChunk("IDAT", deflateSync(filtered.subarray(0, (width + 1) * height), { level: DEFLATE_LEVEL })),
    pngChunk("IEND", new Uint8Array(0)),
  ]);
}
