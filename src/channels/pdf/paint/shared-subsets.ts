import zlib from "node:zlib";
import type * as fontkit from "fontkit";
import type { FontMetrics } from "../../../layout/index.ts";
import { glyphText } from "./ligature-text.ts";
import { type PdfkitEmbeddedFont, type PdfkitReference, embedTagged, pdfkitDocument } from "./pdfkit-internals.ts";
import { subsetTag } from "./subset-tag.ts";

/**
 * Font subsets shared by the documents of a thread (they live on the faces of its render caches).
 *
 * pdfkit subsets every embedded face per document: fontkit decodes and re-encodes each glyph, and the result
 * is compressed, about a quarter of a statement's time. Here a document's subset is made of whole blocks:
 * the letters of a script as a language writes it (Basic Latin, Latin-1, Latin Extended-A, Greek, the
 * Cyrillic of Slavic languages, Vietnamese, punctuation, currency) are one block each, anything else comes
 * in blocks of 16 code points. The blocks of the text the layout measured in a face come first, in code
 * point order, and a glyph painted from any other block (chart labels) brings in its whole block when first
 * used. A subset is then fixed by a handful of block sets per template and language, so each is encoded and
 * compressed once per thread and reused; the price is the unused letters of a block in each file. Glyphs
 * outside any block (ligatures, shaped forms) join one by one as pdfkit adds them, so the subset is still a
 * pure function of the document: same inputs, same bytes. Each subset is named by a tag made from its font
 * program (`subset-tag.ts`), so statements merged into one print file never give two programs one name.
 */

/** Code point ranges [start, end) that are one block each; a block is named by its first code point. */
const SCRIPT_BLOCKS: readonly (readonly [number, number])[] = [
  [0x0000, 0x0080],
  [0x0080, 0x0100],
  [0x0100, 0x0180],
  [0x0370, 0x0400],
  [0x0400, 0x0460],
  [0x1ea0, 0x1f00],
  [0x2000, 0x2070],
  [0x20a0, 0x20d0],
];

/** The block of a code point: its script block's start, or else its 16-code-point block's. */
function blockStart(cp: number): number {
  if (cp < 0x80) return 0;
  for (const [start, end] of SCRIPT_BLOCKS) if (cp >= start && cp < end) return start;
  return cp & ~0xf;
}

/** Encoded subsets kept per face; the oldest goes first. */
const CACHE_LIMIT = 256;

/** A subset encoded once: its compressed font program and the tag that names it. */
export interface EncodedSubset {
  program: Uint8Array;
  tag: string;
}

/** What a face shares between documents: its glyph blocks and the subsets already encoded. */
export interface SubsetShare {
  /** Block (its first code point) to its glyph ids, in code point order. */
  blocks: Map<number, readonly number[]>;
  /** Glyph id to the glyph ids of its block. */
  blockOf: Map<number, readonly number[]>;
  /** Encoded subsets by the subset's glyph list. */
  encoded: Map<string, EncodedSubset>;
}

export function subsetShare(font: fontkit.Font): SubsetShare {
  const blocks = new Map<number, number[]>();
  const blockOf = new Map<number, readonly number[]>();
  for (const cp of font.characterSet) {
    const gid = font.glyphForCodePoint(cp).id;
    if (gid === 0 || blockOf.has(gid)) continue;
    let block = blocks.get(blockStart(cp));
    if (!block) {
      block = [];
      blocks.set(blockStart(cp), block);
    }
    block.push(gid);
    blockOf.set(gid, block);
  }
  return { blocks, blockOf, encoded: new Map() };
}

function remember(share: SubsetShare, key: string, subset: EncodedSubset): void {
  if (share.encoded.size >= CACHE_LIMIT) share.encoded.delete(share.encoded.keys().next().value as string);
  share.encoded.set(key, subset);
}

/** The blocks of the text one document's layout measures, per face name. */
export class BlockUsage {
  private readonly byFace = new Map<string, Set<number>>();

  /** `metrics`, noting the blocks of every text it measures. */
  noting(metrics: FontMetrics): FontMetrics {
    return {
      ...metrics,
      width: (text, font, size) => {
        let blocks = this.byFace.get(font);
        if (!blocks) {
          blocks = new Set();
          this.byFace.set(font, blocks);
        }
        for (let i = 0; i < text.length; i++) blocks.add(blockStart(text.codePointAt(i)!));
        return metrics.width(text, font, size);
      },
    };
  }

  /** The blocks measured in any of `faces`, in code point order. */
  blocks(faces: readonly string[]): number[] {
    const all = new Set<number>();
    for (const face of faces) for (const b of this.byFace.get(face) ?? []) all.add(b);
    return [...all].sort((a, b) => a - b);
  }
}

/**
 * Makes `face`, one face of one pdfkit document, take whole blocks (`first` before any other) and embed
 * a shared subset.
 */
export function shareSubsets(
  doc: PDFKit.PDFDocument,
  face: PdfkitEmbeddedFont,
  share: SubsetShare,
  first: readonly number[],
): void {
  const { subset } = face;
  const includeOne = subset.includeGlyph.bind(subset);
  const encode = subset.encode.bind(subset);
  const embed = face.embed.bind(face);

  const includeBlock = (block: readonly number[]) => {
    for (const g of block) {
      if (subset.mapping[g] != null) continue;
      const n = includeOne(g);
      // What pdfkit records for a glyph it paints: its width for the W array, its text for ToUnicode.
      const glyph = face.font.getGlyph(g);
      face.widths[n] = glyph.advanceWidth * face.scale;
      face.unicode[n] = glyph.codePoints;
    }
  };
  let started = false;
  subset.includeGlyph = (gid) => {
    if (!started) {
      started = true;
      for (const b of first) includeBlock(share.blocks.get(b) ?? []);
    }
    const block = subset.mapping[gid] == null ? share.blockOf.get(gid) : undefined;
    if (block) includeBlock(block);
    return includeOne(gid);
  };

  face.embed = () => {
    const key = subset.glyphs.join(",");
    let encoded = share.encoded.get(key);
    if (!encoded) {
      // Composite glyphs pull in their components one by one, as pdfkit would: the key stays the whole story.
      subset.includeGlyph = includeOne;
      const program = zlib.deflateSync(encode());
      encoded = { program, tag: subsetTag(program) };
      remember(share, key, encoded);
    }
    const { program, tag } = encoded;
    // The ToUnicode map: a ligature glyph's text is its letters, whichever form fontkit knows the glyph by.
    for (let n = 0; n < face.unicode.length; n++) if (face.unicode[n]) face.unicode[n] = glyphText(face.unicode[n]);
    // pdfkit's embed opens the font program's stream first and fills it from subset.encode(): hand it the
    // compressed program, marked as such so pdfkit does not compress it again.
    const pdf = pdfkitDocument(doc);
    const open = pdf.ref;
    let stream: PdfkitReference | undefined;
    pdf.ref = (data) => {
      const ref = open.call(pdf, data);
      stream ??= ref;
      return ref;
    };
    subset.encode = () => {
      if (!stream) throw new Error("pdfkit embedded a font without opening its stream first");
      stream.compress = false;
      stream.data.Filter = "FlateDecode";
      return program;
    };
    try {
      return embedTagged(face, tag, embed);
    } finally {
      pdf.ref = open;
    }
  };
}
