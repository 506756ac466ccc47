import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Problem } from "../../src/core/index.ts";
import { type CompiledPdf, pdfChannel } from "../../src/channels/pdf/index.ts";
import { nodeWorld } from "../../src/node-world.ts";
import { type Theme, loadTemplatePackage, loadTheme } from "../../src/templates/index.ts";
import type { View } from "../../src/view/index.ts";

/** PDF test helpers: compile a template package once, render views, read PDFs back with poppler and zbar. */

export const world = nodeWorld(new URL("../..", import.meta.url).pathname);

export function theme(): Theme {
  const t = loadTheme(world, "samples/theme.yaml");
  if (!t.ok) throw new Error("samples/theme.yaml does not load");
  return t.value;
}

const compiledCache = new Map<string, CompiledPdf>();

export async function compiledTemplate(dir: string): Promise<CompiledPdf> {
  const known = compiledCache.get(dir);
  if (known) return known;
  const pkg = loadTemplatePackage(world, dir, theme());
  if (!pkg.ok) throw new Error(pkg.problems.map((p) => p.message).join("; "));
  const c = await pdfChannel.compile(pkg.value, world);
  if (!c.ok) throw new Error(c.problems.map((p) => p.message).join("; "));
  compiledCache.set(dir, c.value);
  return c.value;
}

export interface Rendered {
  bytes: Uint8Array;
  pages: number;
  warnings: Problem[];
  file: string;
}

const scratch = mkdtempSync(join(tmpdir(), "omnidoc-pdf-"));

export async function renderPdf(
  view: View,
  dir = "templates/energy-bill",
  options?: Record<string, unknown>,
): Promise<Rendered> {
  const warnings: Problem[] = [];
  const r = await pdfChannel.render(await compiledTemplate(dir), view, {
    warnings: { warn: (p) => warnings.push(p) },
    options,
  });
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.code} ${p.message}`).join("; "));
  const file = join(scratch, `${view.customer.id}-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, r.value.bytes);
  return { ...r.value, warnings, file };
}

/** The text of a PDF (or of one page), as a reader would copy it. */
export function pdfText(file: string, page?: number, layout = false): string {
  const args = [...(page ? ["-f", String(page), "-l", String(page)] : []), ...(layout ? ["-layout"] : []), file, "-"];
  return execFileSync("pdftotext", args, { encoding: "utf8" });
}

export function pdfInfo(file: string): string {
  return execFileSync("pdfinfo", [file], { encoding: "utf8" });
}

/** PNG of one page at `dpi`, written beside the PDF. */
export function pageToPng(file: string, page: number, dpi: number): string {
  const prefix = `${file}-p${page}-${dpi}`;
  execFileSync("pdftoppm", [
    "-png",
    "-r",
    String(dpi),
    "-f",
    String(page),
    "-l",
    String(page),
    "-singlefile",
    file,
    prefix,
  ]);
  return `${prefix}.png`;
}

/** The QR payloads zbarimg finds on a PNG. */
export function decodeQr(png: string): string[] {
  try {
    const out = execFileSync("zbarimg", ["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", png], {
      encoding: "utf8",
    });
    return out.split("\n").filter(Boolean);
  } catch (e) {
    // zbarimg exits with 4 when the image holds no code.
    if ((e as { status?: number }).status === 4) return [];
    throw e;
  }
}

export function scratchDir(name: string): string {
  const d = join(scratch, name);
  mkdirSync(d, { recursive: true });
  return d;
}
