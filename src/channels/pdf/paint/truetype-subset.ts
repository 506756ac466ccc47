/**
 * A TrueType font program holding only the glyphs a document paints, written straight from the font file's
 * tables. It keeps what a PDF's CIDFontType2 needs (ISO 32000-1 §9.9: head, hhea, maxp, hmtx, loca, glyf)
 * and leaves out hinting: the `fpgm`, `prep` and `cvt ` programs and each glyph's instructions. DejaVu's
 * hinting is about half of its glyph data, and viewers draw embedded text unhinted (pdf.js, and poppler
 * unless asked), so a statement loses bytes and no pixel.
 */

/** One glyph's outline without instructions; `components` are the offsets of a composite's glyph ids. */
interface StrippedGlyph {
  bytes: Uint8Array;
  components: number[];
}

/** The source tables of one face, read once, and its glyphs stripped as documents first ask for them. */
export class TrueTypeSource {
  private readonly tables = new Map<string, Uint8Array>();
  private readonly glyphOffsets: Uint32Array;
  private readonly numberOfHMetrics: number;
  private readonly hmtx: DataView;
  /** Stripped glyphs by id (sparse: the same glyphs recur in every statement). */
  private readonly stripped: (StrippedGlyph | undefined)[] = [];

  constructor(bytes: Uint8Array) {
    // A plain view, even of a Buffer: a Buffer's slice() shares memory, and the tables are copied before edits.
    const file = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const v = view(file);
    const count = v.getUint16(4);
    for (let i = 0; i < count; i++) {
      const at = 12 + i * 16;
      const tag = String.fromCharCode(file[at], file[at + 1], file[at + 2], file[at + 3]);
      this.tables.set(tag, file.subarray(v.getUint32(at + 8), v.getUint32(at + 8) + v.getUint32(at + 12)));
    }
    const numGlyphs = view(this.table("maxp")).getUint16(4);
    const longLoca = view(this.table("head")).getInt16(50) === 1;
    const loca = view(this.table("loca"));
    this.glyphOffsets = new Uint32Array(numGlyphs + 1);
    for (let g = 0; g <= numGlyphs; g++)
      this.glyphOffsets[g] = longLoca ? loca.getUint32(g * 4) : loca.getUint16(g * 2) * 2;
    this.numberOfHMetrics = view(this.table("hhea")).getUint16(34);
    this.hmtx = view(this.table("hmtx"));
  }

  private table(tag: string): Uint8Array {
    const t = this.tables.get(tag);
    if (!t) throw new Error(`the font has no ${tag} table, which a TrueType subset needs`);
    return t;
  }

  /** The glyph `gid` without its instructions (cached: the same glyphs recur in every statement). */
  glyph(gid: number): StrippedGlyph {
    let g = this.stripped[gid];
    if (!g) {
      g = strip(this.table("glyf").subarray(this.glyphOffsets[gid], this.glyphOffsets[gid + 1]));
      this.stripped[gid] = g;
    }
    return g;
  }

  /** The advance width of `gid`, in font units. */
  advance(gid: number): number {
    return this.hmtx.getUint16(Math.min(gid, this.numberOfHMetrics - 1) * 4);
  }

  /** `gids` (ascending) with the components of their composites, recursively, in ascending order. */
  withComponents(gids: readonly number[]): number[] {
    let all: Set<number> | undefined;
    for (const gid of gids) if (this.glyph(gid).components.length > 0) all ??= new Set(gids);
    if (!all) return [...gids];
    for (const gid of all) {
      const g = this.glyph(gid);
      const v = view(g.bytes);
      for (const at of g.components) all.add(v.getUint16(at));
    }
    return [...all].sort((a, b) => a - b);
  }

  /** Advance width and left side bearing of `gid`, as the 4 bytes of an hmtx entry. */
  private metric(gid: number, out: DataView, at: number): void {
    const n = this.numberOfHMetrics;
    const advance = this.hmtx.getUint16(Math.min(gid, n - 1) * 4);
    const bearing = gid < n ? this.hmtx.getInt16(gid * 4 + 2) : this.hmtx.getInt16(n * 4 + (gid - n) * 2);
    out.setUint16(at, advance);
    out.setInt16(at + 2, bearing);
  }

  /**
   * The font program of `glyphs` (source ids, ascending, as `withComponents` gives them: each composite's
   * components included), a glyph's id in the program its place there.
   */
  encode(glyphs: readonly number[]): Uint8Array {
    const parts: Uint8Array[] = [];
    for (let i = 0; i < glyphs.length; i++) {
      const g = this.glyph(glyphs[i]);
      let bytes = g.bytes;
      if (g.components.length > 0) {
        bytes = bytes.slice();
        const v = view(bytes);
        for (const at of g.components) v.setUint16(at, placeOf(glyphs, v.getUint16(at)));
      }
      parts.push(bytes);
    }
    const n = glyphs.length;
    let size = 0;
    for (const p of parts) size += p.length + (p.length & 1);
    const longLoca = size / 2 > 0xffff;
    const glyf = new Uint8Array(size);
    const loca = new Uint8Array((n + 1) * (longLoca ? 4 : 2));
    const locaView = view(loca);
    let offset = 0;
    for (let i = 0; i <= n; i++) {
      if (longLoca) locaView.setUint32(i * 4, offset);
      else locaView.setUint16(i * 2, offset / 2);
      if (i === n) break;
      glyf.set(parts[i], offset);
      offset += parts[i].length + (parts[i].length & 1);
    }
    const hmtx = new Uint8Array(n * 4);
    const hmtxView = view(hmtx);
    for (let i = 0; i < n; i++) this.metric(glyphs[i], hmtxView, i * 4);

    const head = this.table("head").slice();
    view(head).setUint32(8, 0);
    view(head).setInt16(50, longLoca ? 1 : 0);
    const hhea = this.table("hhea").slice();
    view(hhea).setUint16(34, n);
    const maxp = this.table("maxp").slice();
    view(maxp).setUint16(4, n);
    return fontFile([
      ["glyf", glyf],
      ["head", head],
      ["hhea", hhea],
      ["hmtx", hmtx],
      ["loca", loca],
      ["maxp", maxp],
    ]);
  }
}

/** Where `gid` is in `glyphs` (ascending): a composite's component must be in the program. */
function placeOf(glyphs: readonly number[], gid: number): number {
  let lo = 0;
  let hi = glyphs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (glyphs[mid] === gid) return mid;
    if (glyphs[mid] < gid) lo = mid + 1;
    else hi = mid - 1;
  }
  throw new Error(`glyph ${gid}, a component of a composite, is not in the subset`);
}

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** `glyph` (one glyf entry) without instructions, its composite components' id offsets noted. */
function strip(glyph: Uint8Array): StrippedGlyph {
  if (glyph.length === 0) return { bytes: glyph, components: [] };
  const v = view(glyph);
  const contours = v.getInt16(0);
  if (contours >= 0) {
    const lengthAt = 10 + contours * 2;
    const instructions = v.getUint16(lengthAt);
    const bytes = new Uint8Array(glyph.length - instructions);
    bytes.set(glyph.subarray(0, lengthAt));
    bytes.set(glyph.subarray(lengthAt + 2 + instructions), lengthAt + 2);
    return { bytes, components: [] };
  }
  const bytes = glyph.slice();
  const out = view(bytes);
  const components: number[] = [];
  let at = 10;
  let more = true;
  while (more) {
    const flags = out.getUint16(at);
    // WE_HAVE_INSTRUCTIONS off: the instructions after the last component are cut below.
    out.setUint16(at, flags & ~0x100);
    components.push(at + 2);
    at += 4 + (flags & 0x1 ? 4 : 2) + (flags & 0x8 ? 2 : flags & 0x40 ? 4 : flags & 0x80 ? 8 : 0);
    more = (flags & 0x20) !== 0;
  }
  return { bytes: bytes.subarray(0, at), components };
}

/** The sfnt checksum of `data`: its big-endian 32-bit words summed, the last one zero-padded. */
function checksum(data: Uint8Array): number {
  let sum = 0;
  const v = view(data);
  const whole = data.length & ~3;
  for (let i = 0; i < whole; i += 4) sum = (sum + v.getUint32(i)) >>> 0;
  if (whole < data.length) {
    let last = 0;
    for (let i = whole; i < whole + 4; i++) last = (last << 8) | (i < data.length ? data[i] : 0);
    sum = (sum + (last >>> 0)) >>> 0;
  }
  return sum;
}

/**
 * An sfnt file of `tables` (sorted by tag), each 4-byte aligned, with its directory and checksums, and
 * head.checkSumAdjustment (zero in the head given) making the whole file sum to the magic number: the sum of
 * the header and directory and of the tables' checksums, since each table is padded with zeros.
 */
function fontFile(tables: [string, Uint8Array][]): Uint8Array {
  const n = tables.length;
  const log = Math.floor(Math.log2(n));
  const directory = 12 + n * 16;
  let size = directory;
  for (const [, t] of tables) size += (t.length + 3) & ~3;
  const file = new Uint8Array(size);
  const v = view(file);
  v.setUint32(0, 0x00010000);
  v.setUint16(4, n);
  v.setUint16(6, 2 ** log * 16);
  v.setUint16(8, log);
  v.setUint16(10, n * 16 - 2 ** log * 16);
  let offset = directory;
  let sum = 0;
  let head = -1;
  tables.forEach(([tag, t], i) => {
    const at = 12 + i * 16;
    for (let k = 0; k < 4; k++) file[at + k] = tag.charCodeAt(k);
    const tableSum = checksum(t);
    v.setUint32(at + 4, tableSum);
    v.setUint32(at + 8, offset);
    v.setUint32(at + 12, t.length);
    file.set(t, offset);
    if (tag === "head") head = offset;
    sum = (sum + tableSum) >>> 0;
    offset += (t.length + 3) & ~3;
  });
  sum = (sum + checksum(file.subarray(0, directory))) >>> 0;
  if (head >= 0) v.setUint32(head + 8, (0xb1b0afba - sum) >>> 0);
  return file;
}
