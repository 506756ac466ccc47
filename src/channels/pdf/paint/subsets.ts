import zlib from "node:zlib";
import { LRUCache } from "lru-cache";
import { glyphText } from "./ligature-text.ts";
import { type PdfkitEmbeddedFont, type PdfkitReference, embedTagged, pdfkitDocument } from "./pdfkit-internals.ts";
import { subsetTag } from "./subset-tag.ts";
import { TrueTypeSource } from "./truetype-subset.ts";

/**
 * Each document embeds a subset of exactly the glyphs it paints, in the order pdfkit met them, written by
 * `truetype-subset.ts` from the face's tables (no hinting) instead of fontkit's encoder, which decodes every
 * glyph and carries the hinting programs. The subsets of a thread's documents are kept per face by their
 * glyph list (the engine's render caches), so a glyph set met again is neither written nor compressed again.
 * The subset is a pure function of the document: same inputs, same bytes. Each subset is named by a tag made
 * from its font program (`subset-tag.ts`), so statements merged into one print file never give two programs
 * one name.
 */

/**
 * zlib's level for a statement's streams and font programs. Level 3 compresses them in about half the time
 * of zlib's default (6), for files ~4% larger.
 */
export const DEFLATE_LEVEL = 3;

/** Encoded subsets kept per face; the least recently used goes first. */
const CACHE_LIMIT = 512;

/** A subset encoded once: its compressed font program and the tag that names it. */
export interface EncodedSubset {
  program: Uint8Array;
  tag: string;
}

/** What a face shares between documents: its source tables and the subsets already encoded. */
export interface SubsetCache {
  source: TrueTypeSource;
  /** Encoded subsets by the subset's glyph list. */
  encoded: LRUCache<string, EncodedSubset>;
}

export function subsetCache(file: Uint8Array): SubsetCache {
  return { source: new TrueTypeSource(file), encoded: new LRUCache({ max: CACHE_LIMIT }) };
}

/** Makes `face`, one face of one pdfkit document, embed its exact subset, encoded or taken from `cache`. */
export function cacheSubsets(doc: PDFKit.PDFDocument, face: PdfkitEmbeddedFont, cache: SubsetCache): void {
  const { subset } = face;
  const embed = face.embed.bind(face);
  face.embed = () => {
    const key = subset.glyphs.join(",");
    let encoded = cache.encoded.get(key);
    if (!encoded) {
      const program = zlib.deflateSync(
        cache.source.encode(subset.glyphs, (gid) => subset.includeGlyph(gid)),
        {
          level: DEFLATE_LEVEL,
        },
      );
      encoded = { program, tag: subsetTag(program) };
      cache.encoded.set(key, encoded);
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
