import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, test } from "vitest";
import { sha256Hex } from "../../src/core/index.ts";
import { type Composition, buildEngine, compose, nodeWorld } from "../../src/index.ts";
import { DPI_RANGE, pageOf, readPdf } from "../../src/studio/raster.ts";
import { decodeQr, pdfText, scratchDir } from "../support/pdf-render.ts";
import { sampleProfile } from "../support/pdf-views.ts";

/** Pages drawn by pdf.js held against poppler's reading of the same statement: ink, QR code, text. */
const dir = scratchDir("studio-raster");
let statement: Composition;
let other: Composition;
const file = (c: Composition) => join(dir, `${c.view.customer.id}.pdf`);

beforeAll(async () => {
  const engine = await buildEngine(nodeWorld());
  if (!engine.ok) throw new Error(JSON.stringify(engine.problems));
  const composed = async (id: string) => {
    const r = await compose(engine.value, sampleProfile(id), {
      template: "energy-bill",
      channels: ["pdf"],
      runDate: "2026-11-01",
    });
    if (!r.ok || !r.value.pdf) throw new Error(JSON.stringify(r));
    writeFileSync(file(r.value), r.value.pdf.bytes);
    return r.value;
  };
  [statement, other] = await Promise.all([composed("C0000001"), composed("C0000003")]);
}, 120_000);

const bytes = (c: Composition) => c.pdf!.bytes;

async function drawn(c: Composition, dpi: number): Promise<Buffer[]> {
  const images = await readPdf(bytes(c), { dpi }).images!;
  if (!images.ok) throw new Error(JSON.stringify(images.problems));
  return images.value;
}

/** The darkness of every 8 px square of a page, 0 (white) to 1 (black): layout and ink without anti-aliasing. */
async function ink(image: Buffer): Promise<{ width: number; height: number; cells: Float64Array }> {
  const { data, info } = await sharp(image).greyscale().raw().toBuffer({ resolveWithObject: true });
  const across = Math.floor(info.width / 8);
  const down = Math.floor(info.height / 8);
  const cells = new Float64Array(across * down);
  for (let y = 0; y < down * 8; y++)
    for (let x = 0; x < across * 8; x++)
      cells[(y >> 3) * across + (x >> 3)] += (255 - data[y * info.width + x]) / 255 / 64;
  return { width: info.width, height: info.height, cells };
}

const largestDifference = (a: Float64Array, b: Float64Array) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));

const popplerPage = (c: Composition, page: number, dpi: number) =>
  execFileSync(
    "pdftoppm",
    ["-png", "-r", String(dpi), "-f", String(page), "-l", String(page), "-singlefile", file(c)],
    {
      maxBuffer: 64 * 1024 * 1024,
    },
  );

describe("PDF pages drawn with pdf.js", () => {
  test("every page, at the asked resolution, carries the ink pdftoppm draws, and another customer's does not", async () => {
    const images = await drawn(statement, 96);
    expect(images).toHaveLength(statement.pdf!.pages);
    for (const [i, image] of images.entries()) {
      expect(image.readUInt16BE(0)).toBe(0xffd8);
      const ours = await ink(image);
      const poppler = await ink(popplerPage(statement, i + 1, 96));
      expect([ours.width, ours.height]).toEqual([794, 1123]); // A4 at 96 dpi, as pdftoppm sizes it
      expect([ours.width, ours.height]).toEqual([poppler.width, poppler.height]);
      // Glyph edges differ between the two rasterisers by ~0.1 of a square at most; a missing word, bar or
      // QR module differs by several times that.
      expect(largestDifference(ours.cells, poppler.cells), `page ${i + 1}`).toBeLessThan(0.15);
    }
    const stranger = await ink(popplerPage(other, 1, 96));
    expect(largestDifference((await ink(images[0])).cells, stranger.cells)).toBeGreaterThan(0.3);
  }, 60_000);

  test("the QR code printed on a page decodes with zbarimg", async () => {
    const { offers } = statement.view;
    const printed = [offers.hero, ...offers.secondary, ...offers.notices].filter((i) => i?.qr && i.cta);
    expect(printed.length).toBeGreaterThan(0);
    const codes = (await drawn(statement, 150)).flatMap((image, i) => {
      const jpeg = join(dir, `qr-${i + 1}.jpg`);
      writeFileSync(jpeg, image);
      return decodeQr(jpeg);
    });
    for (const item of printed) expect(codes).toContain(item?.cta?.links.pdf.url);
  }, 60_000);

  test("the text holds the customer's name and amount due, as pdftotext's does", async () => {
    const texts = await readPdf(bytes(statement), { text: true }).texts!;
    expect(texts).toHaveLength(statement.pdf!.pages);
    const { name } = sampleProfile("C0000001");
    const wanted = [`${name.title} ${name.first} ${name.last}`, statement.view.account.balanceDue];
    for (const reading of [texts[0], pdfText(file(statement), 1)])
      for (const w of wanted) expect(reading.replace(/\s+/g, " ")).toContain(w);
    expect(texts[1]).toContain(`Page 2 of ${statement.pdf!.pages}`);
  });

  test("the first page only, for thumbnails", async () => {
    const reading = readPdf(bytes(statement), { dpi: 60, text: true, firstPageOnly: true });
    const [images, texts] = await Promise.all([reading.images!, reading.texts!]);
    expect(images.ok && images.value.length).toBe(1);
    expect(texts).toHaveLength(1);
  });

  test("a resolution outside 36–300 dpi and a page the document lacks are problems, not throws", async () => {
    for (const dpi of [DPI_RANGE.min - 1, DPI_RANGE.max + 1, 120.5, Number.NaN]) {
      const reading = readPdf(bytes(statement), { dpi, text: true });
      const images = await reading.images!;
      expect(images.ok, `${dpi} dpi`).toBe(false);
      if (!images.ok) expect(images.problems[0]).toMatchObject({ code: "OMD_PDF_PAGE_IMAGE_RANGE", at: "dpi" });
      expect(await reading.texts!).toHaveLength(statement.pdf!.pages);
    }
    const images = await drawn(statement, DPI_RANGE.min);
    expect(pageOf(images, images.length)).toEqual({ ok: true, value: images.at(-1) });
    for (const page of [0, images.length + 1, 1.5])
      expect(pageOf(images, page)).toMatchObject({
        ok: false,
        problems: [{ code: "OMD_PDF_PAGE_IMAGE_RANGE", at: "page" }],
      });
  }, 60_000);

  test("the caller's PDF bytes are left whole", async () => {
    const pdf = bytes(statement);
    const before = sha256Hex(pdf);
    const reading = readPdf(pdf, { dpi: 60, text: true });
    await Promise.all([reading.images, reading.texts]);
    expect(pdf.byteLength).toBeGreaterThan(0);
    expect(sha256Hex(pdf)).toBe(before);
  });
});
