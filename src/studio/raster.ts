import { execFile } from "node:child_process";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface PdfReading {
  /** Every page (or the first only) as PNG, when a resolution was asked for. */
  images?: Promise<Buffer[]>;
  /** The text of every page in reading order, for screen readers and find-in-page, when asked for. */
  texts?: Promise<string[]>;
}

/**
 * Reads a PDF with poppler: pages rasterised by pdftoppm and their text by pdftotext, both at once. The studio
 * shows the real PDF, not an HTML imitation, so what a person sees is what the printer gets. At `dpi` 120 an A4
 * page is 993 px wide: crisp at 2x on the 496 px the studio shows it at.
 */
export function readPdf(
  pdf: Uint8Array,
  options: { dpi?: number; text?: boolean; firstPageOnly?: boolean },
): PdfReading {
  const dir = mkdtemp(join(tmpdir(), "omnidoc-studio-"));
  const file = dir.then(async (d) => {
    await writeFile(join(d, "doc.pdf"), pdf);
    return join(d, "doc.pdf");
  });
  const range = options.firstPageOnly ? ["-f", "1", "-l", "1"] : [];
  const { dpi } = options;
  const images =
    dpi === undefined
      ? undefined
      : file.then(async (f) => {
          const d = await dir;
          await run("pdftoppm", ["-png", "-r", String(dpi), ...range, f, join(d, "page")]);
          // pdftoppm pads page numbers to the width of the page count (page-01.png…): sort numerically.
          const names = (await readdir(d))
            .filter((n) => n.startsWith("page-"))
            .sort((a, b) => pageNumber(a) - pageNumber(b));
          return Promise.all(names.map((n) => readFile(join(d, n))));
        });
  const texts = !options.text
    ? undefined
    : file.then(async (f) => {
        const { stdout } = await run("pdftotext", ["-enc", "UTF-8", ...range, f, "-"], { maxBuffer: 16 * 1024 * 1024 });
        const pages = stdout.split("\f");
        if (pages.at(-1)?.trim() === "") pages.pop();
        return pages.map((p) => p.trim());
      });
  void Promise.allSettled([images, texts]).then(async () => rm(await dir, { recursive: true, force: true }));
  return { images, texts };
}

const pageNumber = (name: string) => Number(/-(\d+)\.png$/.exec(name)?.[1] ?? 0);
