import type { TemplateDelegate } from "handlebars";
import {
  type Problem,
  type RenderCaches,
  type Result,
  type World,
  Deflater,
  createRenderCaches,
  fail,
  ok,
  problem,
  sha256Hex,
} from "../../core/index.ts";
import { type FontMetrics, type LayoutEnv, composePages, paintDocument } from "../../layout/index.ts";
import { registerChartGlobals } from "../../assets/chart/index.ts";
import { type TemplatePackage, compileFile, createHandlebars } from "../../templates/index.ts";
import type { View } from "../../view/index.ts";
import type { ChannelRenderer, PdfOutput, RenderContext } from "../channel.ts";
import { buildDocument } from "./build.ts";
import { prepareCharts } from "./charts.ts";
import { printContext, registerPdfHelpers } from "./context.ts";
import { type FontSet, fontMetrics, loadFonts } from "./fonts.ts";
import { parseMarkup } from "./markup.ts";
import { openPdf } from "./paint/document.ts";
import { PdfkitPainter } from "./paint/pdfkit-painter.ts";
import { Styles } from "./style.ts";

/**
 * zlib's level for a statement's streams and font programs. Level 3 compresses them in about half the time
 * of zlib's default (6), for files ~4% larger.
 */
const DEFLATE_LEVEL = 3;

/** A template package made ready for the PDF channel: Handlebars compiled, fonts and images loaded. */
export interface CompiledPdf {
  readonly pkg: TemplatePackage;
  readonly file: string;
  readonly template: TemplateDelegate;
  readonly fonts: FontSet;
  readonly metrics: FontMetrics;
  readonly styles: Styles;
  readonly images: ReadonlyMap<string, Uint8Array | string>;
  /** The render thread's caches: the chart kept per size is drawn again into each statement's page. */
  readonly caches: RenderCaches;
  /** The thread's zlib stream, which each statement's streams and font programs are compressed through. */
  readonly deflater: Deflater;
}

/** The merged markup of one customer: what the layout is built from (lint and tests read it too). */
export function mergeMarkup(compiled: CompiledPdf, view: View): Result<string> {
  try {
    return ok(compiled.template(printContext(view, compiled.pkg.theme)));
  } catch (e) {
    const message = (e as Error).message;
    const m = /^"(.+)" not defined in .* - (\d+):(\d+)$/.exec(message);
    if (m)
      return fail(
        problem(
          "OMD_TEMPLATE_UNKNOWN_FIELD",
          `"${m[1]}" is not a field of the view`,
          `${compiled.pkg.dir}/${compiled.file}:${m[2]}:${Number(m[3]) + 1}`,
        ),
      );
    return fail(problem("OMD_TEMPLATE_RENDER", message, `${compiled.pkg.dir}/${compiled.file}`));
  }
}

function loadImages(world: World, pkg: TemplatePackage): Map<string, Uint8Array | string> {
  const images = new Map<string, Uint8Array | string>();
  for (const name of world.list(`${pkg.dir}/images`)) {
    const path = `images/${name}`;
    if (/\.svg$/i.test(name)) images.set(path, pkg.files[path] ?? world.readText(`${pkg.dir}/${path}`));
    else if (/\.(png|jpe?g)$/i.test(name)) images.set(path, world.readBytes(`${pkg.dir}/${path}`));
  }
  return images;
}

/** Warnings of one render, each reported once. */
function warningSink(ctx: RenderContext): (p: Problem) => void {
  const seen = new Set<string>();
  return (p) => {
    if (seen.has(p.message)) return;
    seen.add(p.message);
    ctx.warnings.warn(p);
  };
}

export const pdfChannel: ChannelRenderer<CompiledPdf, PdfOutput> = {
  name: "pdf",

  async compile(pkg, world, caches = createRenderCaches()) {
    const file = pkg.manifest.channels.pdf?.file;
    if (!file)
      return fail(
        problem("OMD_CHANNEL_UNKNOWN", `template ${pkg.manifest.id} has no pdf channel`, `${pkg.dir}/template.yaml`),
      );
    if (pkg.files[file] === undefined)
      return fail(
        problem(
          "OMD_TEMPLATE_FILE_MISSING",
          `the package has no PDF template file ${file}`,
          `${pkg.dir}/template.yaml`,
        ),
      );
    const hb = createHandlebars(pkg);
    registerPdfHelpers(hb);
    try {
      hb.parse(pkg.files[file]);
    } catch (e) {
      return fail(problem("OMD_TEMPLATE_SYNTAX", (e as Error).message.split("\n")[0], `${pkg.dir}/${file}`));
    }
    const fonts = loadFonts(world, pkg.theme, caches);
    // Chart.js's parts; the chart font matters only to the email's PNG, so whether it loads is the email's to say.
    registerChartGlobals(world, pkg.theme.fonts.body);
    return ok(
      Object.freeze({
        pkg,
        file,
        template: compileFile(hb, pkg, file),
        fonts,
        metrics: fontMetrics(fonts),
        styles: new Styles(pkg.theme),
        images: loadImages(world, pkg),
        caches,
        deflater: new Deflater({ level: DEFLATE_LEVEL }),
      }),
    );
  },

  async render(compiled, view, ctx) {
    const markup = mergeMarkup(compiled, view);
    if (!markup.ok) return markup;
    const source = `${compiled.pkg.dir}/${compiled.file} (merged for ${view.customer.id})`;
    const root = parseMarkup(markup.value, source);
    if (!root.ok) return root;
    const charts = await prepareCharts(root.value, view, compiled.pkg.theme);
    const built = buildDocument(root.value, { styles: compiled.styles, charts, images: compiled.images });
    if (!built.doc) return fail(...built.problems);
    const warn = warningSink(ctx);
    const env: LayoutEnv = { metrics: compiled.metrics, warn };
    const laid = composePages(built.doc.body, built.doc.first, built.doc.rest, env);
    for (const p of laid.problems) warn(p);

    const pdfa = ctx.options?.pdfa === true;
    const pdf = openPdf(
      {
        title: built.doc.title,
        author: compiled.pkg.theme.brand.name,
        subject: built.doc.subject,
        lang: view.locale,
        runDate: view.runDate,
        id: sha256Hex(`${compiled.pkg.manifest.id}@${compiled.pkg.manifest.version}\n${pdfa}\n${markup.value}`),
        pdfa,
        tagged: true,
      },
      compiled.fonts,
      compiled.deflater,
    );
    const painter = new PdfkitPainter(pdf.doc, pdf.root, compiled.metrics, warn);
    paintDocument(laid, painter, (t) => {
      pdf.doc.addPage({ size: [t.width, t.height], margin: 0 });
      painter.pageStarted();
    });
    const bytes = await pdf.finish();
    return ok({ bytes, pages: laid.pages.length });
  },
};
