import type * as fontkit from "fontkit";
import type { Deflater } from "../../../core/index.ts";
import { glyphText } from "./ligature-text.ts";
import { PdfSyntax, pdfObject } from "./pdf-objects.ts";
import { type PdfkitEmbeddedFont, pdfkitDocument } from "./pdfkit-internals.ts";
import { subsetTag } from "./subset-tag.ts";
import { TrueTypeSource } from "./truetype-subset.ts";

/**
 * Each document embeds a subset of exactly the glyphs it paints, written by `truetype-subset.ts` from the
 * face's tables (no hinting) instead of fontkit's encoder, which decodes every glyph and carries the hinting
 * programs. A glyph's code in the text is its id in the face (CID = glyph id), whatever the document, so a
 * word's part of a TJ operand is made once a thread (face-encoding.ts) and a statement's bytes do not depend
 * on what its thread rendered before; the subset's program holds the glyphs in the order of their ids and
 * the CIDToGIDMap stream takes each code to its glyph there. The subset is a pure function of the glyphs
 * the document paints: same inputs, same bytes. Each subset is named by a tag made from its font program
 * (`subset-tag.ts`), so statements merged into one print file never give two programs one name.
 */

/** The ToUnicode map's entries a block may hold (ISO 32000-1 §9.10.3, after Adobe's CMap specification). */
const CMAP_BLOCK = 100;

/** What a face shares between documents: its source tables and each glyph's text. */
export interface FaceTables {
  source: TrueTypeSource;
  /** The face's PostScript name, as a subset's name ends. */
  postscriptName: string;
  /** The font descriptor's entries but its name and program. */
  descriptor: Record<string, unknown>;
  /** 1000 / units per em: the PDF's glyph space from the face's. */
  scale: number;
  /** The glyph's ToUnicode entry (`<code> <text>`), by glyph id, made the first time a document paints it. */
  unicode: string[];
  /** The glyph's width in the W array, in PDF syntax, by glyph id, made the first time a subset holds it. */
  widths: string[];
}

export function faceTables(file: Uint8Array, font: fontkit.Font): FaceTables {
  const scale = 1000 / font.unitsPerEm;
  return {
    source: new TrueTypeSource(file),
    postscriptName: font.postscriptName.replaceAll(" ", "_"),
    descriptor: descriptorOf(font, scale),
    scale,
    unicode: [],
    widths: [],
  };
}

/** Four hex digits: a glyph's code in a text string (its id), or a UTF-16 unit of its text. */
export const hex4 = (n: number): string => `000${n.toString(16)}`.slice(-4);

/** Notes `glyph`'s text for the ToUnicode map; a ligature's is its letters (ligature-text.ts). */
export function noteGlyphText(tables: FaceTables, glyph: fontkit.Glyph): void {
  if (tables.unicode[glyph.id] !== undefined) return;
  let text = "";
  for (let cp of glyphText(glyph.codePoints)) {
    if (cp > 0xffff) {
      cp -= 0x10000;
      text += hex4(((cp >>> 10) & 0x3ff) | 0xd800);
      cp = 0xdc00 | (cp & 0x3ff);
    }
    text += hex4(cp);
  }
  tables.unicode[glyph.id] = `<${hex4(glyph.id)}> <${text}>`;
}

/**
 * Makes `face`, one face of one pdfkit document, embed the subset of the glyphs marked in `painted` (by glyph
 * id): its program (compressed by `deflater`, the document's), descriptor, widths, code-to-glyph map and
 * ToUnicode map.
 */
export function embedSubset(
  doc: PDFKit.PDFDocument,
  face: PdfkitEmbeddedFont,
  tables: FaceTables,
  painted: Uint8Array,
  deflater: Deflater,
): void {
  face.embed = () => {
    const pdf = pdfkitDocument(doc);
    const { source } = tables;
    const codes: number[] = [0];
    for (let gid = 1; gid < painted.length; gid++) if (painted[gid] === 1) codes.push(gid);
    const glyphs = source.withComponents(codes);
    const program = deflater.deflate(source.encode(glyphs));
    const name = `${subsetTag(program)}+${tables.postscriptName}`;

    const fontFile = pdf.ref({ Filter: "FlateDecode" });
    fontFile.compress = false;
    fontFile.end(program);
    const descriptor = pdf.ref({ Type: "FontDescriptor", FontName: name, ...tables.descriptor });
    descriptor.data.FontFile2 = fontFile;
    descriptor.end();

    const last = codes[codes.length - 1];
    const map = new Uint8Array((last + 1) * 2);
    // The W array as pdfObject writes nested arrays: each run of consecutive codes as its first code and
    // their widths.
    let widths = "[";
    for (let i = 0, at = 0; i < codes.length; i++) {
      const gid = codes[i];
      // The codes are among the glyphs, both ascending.
      while (glyphs[at] !== gid) at++;
      map[gid * 2] = at >> 8;
      map[gid * 2 + 1] = at & 0xff;
      if (i === 0) widths += `${gid} [`;
      else if (gid !== codes[i - 1] + 1) widths += `] ${gid} [`;
      else widths += " ";
      widths += tables.widths[gid] ??= pdfObject(source.advance(gid) * tables.scale);
    }
    const cidToGid = pdf.ref();
    cidToGid.end(Buffer.from(map.buffer, map.byteOffset, map.byteLength));
    const descendant = pdf.ref({
      Type: "Font",
      Subtype: "CIDFontType2",
      BaseFont: name,
      CIDSystemInfo: { Registry: new String("Adobe"), Ordering: new String("Identity"), Supplement: 0 },
      FontDescriptor: descriptor,
      W: new PdfSyntax(`${widths}]]`),
      CIDToGIDMap: cidToGid,
    });
    descendant.end();

    const toUnicode = pdf.ref();
    // As bytes: pdfkit copies a string into bytes a character at a time.
    const cmap = toUnicodeCmap(codes.map((gid) => tables.unicode[gid]).filter((e) => e !== undefined));
    toUnicode.end(Buffer.from(cmap, "latin1"));
    const dictionary = face.ref();
    dictionary.data = {
      Type: "Font",
      Subtype: "Type0",
      BaseFont: name,
      Encoding: "Identity-H",
      DescendantFonts: [descendant],
      ToUnicode: toUnicode,
    };
    dictionary.end();
  };
}

/** The font descriptor's entries but its name and program, as pdfkit writes them. */
function descriptorOf(font: fontkit.Font, scale: number): Record<string, unknown> {
  const f = font as unknown as FontkitTables;
  const familyClass = (f["OS/2"]?.sFamilyClass ?? 0) >> 8;
  let flags = 1 << 2;
  if (f.post.isFixedPitch) flags |= 1 << 0;
  if (familyClass >= 1 && familyClass <= 7) flags |= 1 << 1;
  if (familyClass === 10) flags |= 1 << 3;
  if (f.head.macStyle.italic) flags |= 1 << 6;
  const { bbox } = font;
  return {
    Flags: flags,
    FontBBox: [bbox.minX * scale, bbox.minY * scale, bbox.maxX * scale, bbox.maxY * scale],
    ItalicAngle: font.italicAngle,
    Ascent: font.ascent * scale,
    Descent: font.descent * scale,
    CapHeight: (font.capHeight || font.ascent) * scale,
    XHeight: (font.xHeight || 0) * scale,
    StemV: 0,
  };
}

/** The fontkit tables the descriptor's flags come from. */
interface FontkitTables {
  "OS/2"?: { sFamilyClass?: number };
  post: { isFixedPitch: number | boolean };
  head: { macStyle: { italic: boolean } };
}

/** A ToUnicode CMap of `entries` (`<code> <text>`), in blocks of at most `CMAP_BLOCK`. */
function toUnicodeCmap(entries: string[]): string {
  let blocks = "";
  for (let i = 0; i < entries.length; i += CMAP_BLOCK) {
    const block = entries.slice(i, i + CMAP_BLOCK);
    blocks += `${block.length} beginbfchar\n${block.join("\n")}\nendbfchar\n`;
  }
  return `/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo <<
  /Registry (Adobe)
  /Ordering (UCS)
  /Supplement 0
>> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000><ffff>
endcodespacerange
${blocks}endcmap
CMapName currentdict /CMap defineresource pop
end
end`;
}
