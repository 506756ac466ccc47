/**
 * PDF statements per second on one core: omnidoc's layout engine on pdfkit against the same statement in
 * Typst, drawn by hand with pdfkit, and printed by Chromium from HTML, measured in the same run; per
 * statement and per page, with peak RSS and file size; then where a statement's time goes, and peak RSS at
 * two counts to show memory stays flat.
 *
 *   npx tsx bench/pdf/run.ts [--count 1000] [--peers typst,pdfkit,chromium] [--chromium 100] [--phases]
 *     [--flat 10000] [--old-space 512] [--thread-rss 0,1,2]
 *
 * Each measurement runs in its own child process so peak RSS belongs to it alone. `--thread-rss` gives the thread
 * counts at which RSS per render thread is measured ("" for none).
 */
import "../signing-keys.ts";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as fontkit from "fontkit";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";
import { buildEngine } from "../../src/engine.ts";
import { compose } from "../../src/compose.ts";
import { nodeWorld } from "../../src/node-world.ts";
import { parseProfileLine } from "../../src/profile/index.ts";
import { sampleLines } from "../../src/sample/index.ts";
import type { View } from "../../src/view/index.ts";
import { type CompiledPdf, mergeMarkup, parseMarkup, pdfChannel } from "../../src/channels/pdf/index.ts";
import { buildDocument } from "../../src/channels/pdf/build.ts";
import { prepareCharts } from "../../src/channels/pdf/charts.ts";
import { Deflater } from "../../src/core/index.ts";
import { openPdf } from "../../src/channels/pdf/paint/document.ts";
import { PdfkitPainter } from "../../src/channels/pdf/paint/pdfkit-painter.ts";
import { composePages, paintDocument } from "../../src/layout/index.ts";
import { markupToHtml } from "./html.ts";
import { markupToTypst } from "./typst.ts";
import { statementPdfkit } from "./pdfkit.ts";
import { TrueTypeSource } from "../../src/channels/pdf/paint/truetype-subset.ts";
import { toSvg, usageChartSpec } from "../../src/assets/chart/index.ts";
import { fillLabel } from "../../src/view/index.ts";
import { CHROMIUM_LAUNCH } from "../../test/support/chromium.ts";
import { RENDER_V8_FLAGS, WORKER_RESOURCE_LIMITS } from "../../src/render-threads.ts";
import { measureInProcess } from "../threads/measure.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SELF = fileURLToPath(import.meta.url);

const { values: args } = parseArgs({
  options: {
    mode: { type: "string", default: "main" },
    count: { type: "string", default: "1000" },
    flat: { type: "string", default: "0" },
    chromium: { type: "string", default: "100" },
    peers: { type: "string", default: "typst,pdfkit,chromium" },
    phases: { type: "boolean", default: false },
    "old-space": { type: "string" },
    seed: { type: "string", default: "11" },
    "thread-rss": { type: "string", default: "0,1,2" },
  },
});

/**
 * Views of `n` generated customers, composed through the real engine (decision and view, no channel) as the
 * generator streams them, so a long run holds one customer at a time.
 */
async function* streamViews(n: number, compiled: (c: CompiledPdf) => void): AsyncGenerator<View> {
  // Built for statements only, as a render thread that makes statements alone would be: no MJML loaded.
  const engine = await buildEngine(nodeWorld(ROOT), { channels: ["pdf"] });
  if (!engine.ok) throw new Error(engine.problems.map((p) => p.message).join("; "));
  compiled(engine.value.templates.get("energy-bill")!.channels.pdf as CompiledPdf);
  let line = 0;
  for (const text of sampleLines({ count: n, seed: Number(args.seed) })) {
    const p = parseProfileLine(text, ++line);
    if (!p.ok) continue;
    const c = await compose(engine.value, p.value, {
      template: "energy-bill",
      channels: [],
      runDate: p.value.account.statementDate,
    });
    if (c.ok) yield c.value.view;
  }
}

/** The views of `n` generated customers, held in memory. */
async function views(n: number): Promise<{ compiled: CompiledPdf; views: View[] }> {
  let compiled: CompiledPdf | undefined;
  const out: View[] = [];
  for await (const v of streamViews(n, (c) => (compiled = c))) out.push(v);
  return { compiled: compiled!, views: out };
}

const ctx = { warnings: { warn: () => {} } };
const WARM_UP = 30;

/** One statement from its view to the bytes of its PDF. */
type Render = (compiled: CompiledPdf, view: View) => Promise<{ bytes: Uint8Array; pages: number }>;

/**
 * Renders each view once as it comes, sequentially, on this one thread; only the renders are timed, after
 * the first WARM_UP.
 */
async function timeRenders(n: number, render: Render) {
  let compiled: CompiledPdf | undefined;
  let statements = 0;
  let pages = 0;
  let bytes = 0;
  let ms = 0;
  let heapPeak = 0;
  let cpuMs = 0;
  for await (const v of streamViews(n + WARM_UP, (c) => (compiled = c))) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const r = await render(compiled!, v);
    const t = performance.now() - t0;
    const c = process.cpuUsage(c0);
    const m = process.memoryUsage();
    heapPeak = Math.max(heapPeak, m.heapTotal + m.external);
    if (++statements <= WARM_UP) continue;
    ms += t;
    cpuMs += (c.user + c.system) / 1000;
    pages += r.pages;
    bytes += r.bytes.length;
  }
  const counted = statements - WARM_UP;
  return {
    statements: counted,
    seconds: ms / 1000,
    perSecond: (counted * 1000) / ms,
    msPer: ms / counted,
    pages,
    pagesPerSecond: (pages * 1000) / ms,
    msPerPage: ms / pages,
    // CPU time of the whole process (all its threads) while rendering: steadier than the clock on a busy
    // machine, and it counts the help a renderer gets from threads of its own.
    cpuMsPer: cpuMs / counted,
    avgBytes: bytes / counted,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    // What a render thread holds of its own (its V8 heap and the memory its objects own), as against code
    // and native libraries, which the threads of a process share.
    heapPeakMb: heapPeak / 1048576,
  };
}

/** omnidoc: `pdfChannel.render`, merge to bytes. */
const omnidoc: Render = async (compiled, v) => {
  const r = await pdfChannel.render(compiled, v, ctx);
  if (!r.ok) throw new Error(r.problems[0].message);
  return r.value;
};

/**
 * What the baselines start from, as omnidoc starts from the view: the merged and parsed markup, and the
 * usage chart as SVG (the chart path omnidoc's PDF shares, `to-svg.ts`).
 */
async function baselineInputs(compiled: CompiledPdf, v: View) {
  const markup = mergeMarkup(compiled, v);
  if (!markup.ok) throw new Error("merge");
  const root = parseMarkup(markup.value, "bench");
  if (!root.ok) throw new Error("parse");
  const spec = usageChartSpec(v.usage, compiled.pkg.theme, {
    locale: v.locale,
    usage: fillLabel(v.labels.usageLegend ?? "{unit}", { unit: v.usage.unit }),
    peerAverage: v.labels.usagePeerLegend ?? "",
  });
  const svg = await toSvg(spec, { width: 360, height: 195 });
  return { root: root.value, chart: { svg, alt: spec.summary } };
}

/**
 * Typst (typst.ts's node compiler, one compiler reused): the statement written as Typst source, compiled
 * to PDF. Its memoisation cache is evicted after each statement with the age its authors suggest for
 * one-shot tools (10), else it grows with every statement.
 */
async function typst(): Promise<Render> {
  // Loaded here only: its 50 MB binary would otherwise sit in every measurement's RSS.
  const { NodeCompiler } = await import("@myriaddreamin/typst-ts-node-compiler");
  const compiler = NodeCompiler.create({
    workspace: ROOT,
    fontArgs: [{ fontPaths: [`${ROOT}/node_modules/dejavu-fonts-ttf/ttf`] }],
  });
  return async (compiled, v) => {
    const { root, chart } = await baselineInputs(compiled, v);
    const source = markupToTypst(root, compiled.pkg.theme, chart);
    const doc = compiler.compile({ mainFileContent: source });
    const result = doc.result;
    if (!result) throw new Error(`typst: ${JSON.stringify(compiler.fetchDiagnostics(doc.takeDiagnostics()!))}`);
    const bytes = compiler.pdf(result);
    compiler.evictCache(10);
    return { bytes, pages: result.numOfPages };
  };
}

/** Hand-written pdfkit: the statement drawn with pdfkit's own API (`pdfkit.ts`), the faces parsed once. */
async function pdfkit(): Promise<Render> {
  const fonts = {
    body: fontkit.create(readFileSync(`${ROOT}/node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf`)),
    bold: fontkit.create(readFileSync(`${ROOT}/node_modules/dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf`)),
  };
  return async (compiled, v) => {
    const { root, chart } = await baselineInputs(compiled, v);
    return statementPdfkit(root, compiled.pkg.theme, fonts, chart, v.locale);
  };
}

/** Where a statement's time goes: the render's steps timed one by one over `n` statements. */
async function runPhases(n: number) {
  const { compiled, views: vs } = await views(n);
  const t: Record<string, number> = {
    merge: 0,
    parse: 0,
    chartSvg: 0,
    build: 0,
    layout: 0,
    paintText: 0,
    chartToPdf: 0,
    finish: 0,
    subset: 0,
    deflate: 0,
  };
  // Subsetting and compression are timed inside pdfkit's finish through their library entry points.
  const deflate = Deflater.prototype.deflate;
  Deflater.prototype.deflate = function (this: Deflater, data: Uint8Array) {
    const s = performance.now();
    const r = deflate.call(this, data);
    t.deflate += performance.now() - s;
    return r;
  };
  const subsetProto = TrueTypeSource.prototype as unknown as { encode: (...a: unknown[]) => unknown };
  const encode = subsetProto.encode;
  subsetProto.encode = function (this: unknown, ...a: unknown[]) {
    const s = performance.now();
    const r = encode.apply(this, a);
    t.subset += performance.now() - s;
    return r;
  };
  const painterProto = PdfkitPainter.prototype as unknown as { canvas: (...a: unknown[]) => void };
  const canvas = painterProto.canvas;
  painterProto.canvas = function (this: unknown, ...a: unknown[]) {
    const s = performance.now();
    canvas.apply(this, a);
    t.chartToPdf += performance.now() - s;
  };
  const step = async <T>(name: string, f: () => T | Promise<T>): Promise<T> => {
    const s = performance.now();
    const r = await f();
    t[name] += performance.now() - s;
    return r;
  };
  for (const [i, v] of vs.entries()) {
    if (i === WARM_UP) for (const k of Object.keys(t)) t[k] = 0;
    const markup = await step("merge", () => mergeMarkup(compiled, v));
    if (!markup.ok) throw new Error("merge");
    const root = await step("parse", () => parseMarkup(markup.value, "bench"));
    if (!root.ok) throw new Error("parse");
    const charts = await step("chartSvg", () => prepareCharts(root.value, v, compiled.pkg.theme));
    const built = await step("build", () =>
      buildDocument(root.value, { styles: compiled.styles, charts, images: compiled.images }),
    );
    const doc = built.doc!;
    const laid = await step("layout", () =>
      composePages(doc.body, doc.first, doc.rest, { metrics: compiled.metrics, warn: () => {} }),
    );
    const pdf = openPdf(
      {
        title: doc.title,
        author: "x",
        subject: doc.subject,
        lang: v.locale,
        runDate: v.runDate,
        id: "0".repeat(32),
        pdfa: false,
        tagged: true,
      },
      compiled.fonts,
      compiled.deflater,
    );
    const painter = new PdfkitPainter(pdf.doc, pdf.root, compiled.metrics, () => {});
    const chartBefore = t.chartToPdf;
    await step("paintText", () =>
      paintDocument(laid, painter, (tpl) => {
        pdf.doc.addPage({ size: [tpl.width, tpl.height], margin: 0 });
        painter.pageStarted();
      }),
    );
    t.paintText -= t.chartToPdf - chartBefore;
    await step("finish", () => pdf.finish());
  }
  const counted = vs.length - WARM_UP;
  t.finish -= t.subset + t.deflate;
  const per = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v / counted]));
  return { statements: counted, msPerStep: per, msTotal: Object.values(per).reduce((a, b) => a + b, 0) };
}

/** Chromium: the same statements as HTML, printed to PDF by one browser and one reused page. */
async function runChromium(n: number) {
  const { compiled, views: vs } = await views(n);
  const docs = [];
  for (const v of vs) {
    const { root, chart } = await baselineInputs(compiled, v);
    docs.push(markupToHtml(root, compiled.pkg.theme, chart));
  }
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  const page = await browser.newPage();
  const print = async (d: { html: string; footer: string }) => {
    await page.setContent(d.html, { waitUntil: "load" });
    return page.pdf({
      format: "A4",
      displayHeaderFooter: true,
      headerTemplate: "<span></span>",
      footerTemplate: d.footer,
      printBackground: true,
    });
  };
  for (const d of docs.slice(0, 5)) await print(d);
  let bytes = 0;
  const t0 = performance.now();
  for (const d of docs) bytes += (await print(d)).length;
  const ms = performance.now() - t0;
  await browser.close();
  return {
    statements: docs.length,
    seconds: ms / 1000,
    perSecond: (docs.length * 1000) / ms,
    msPer: ms / docs.length,
    avgBytes: bytes / docs.length,
    driverPeakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

function child(mode: string, count: number): Record<string, unknown> {
  const r = spawnSync(
    process.execPath,
    [
      // The old-generation cap and heap growth the render workers run with, or the cap asked for.
      `--max-old-space-size=${args["old-space"] ?? WORKER_RESOURCE_LIMITS.maxOldGenerationSizeMb}`,
      ...RENDER_V8_FLAGS,
      "--import",
      "tsx",
      SELF,
      "--mode",
      mode,
      "--count",
      String(count),
      "--seed",
      args.seed!,
    ],
    {
      cwd: ROOT,
      encoding: "utf8",
      maxBuffer: 1 << 26,
    },
  );
  if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").at(-1)!);
}

const fmt = (n: unknown, d = 1) => (typeof n === "number" ? n.toFixed(d) : String(n));

/**
 * RSS per render thread making statements: the peak RSS of a process whose render threads compose `count`
 * statements, less that of the same process without threads, by thread (`bench/threads/measure.ts`). The
 * omnidoc child's peak RSS above is this bench's process, tsx and the peers' code included, rendering in its
 * main thread: a render thread runs the compiled sources and shares node, the native libraries and the main
 * thread's engine with the others.
 */
function threadRss(counts: number[], count: number) {
  const runs = counts.map((threads) =>
    measureInProcess({ threads, records: count + WARM_UP, warmUp: WARM_UP, channels: ["pdf"], flags: "" }),
  );
  const none = runs.find((r) => r.threads === 0);
  for (const r of runs.filter((r) => r.threads > 0)) {
    const heap = r.perThread!.map((t) => fmt(t.heapTotal + t.external, 0)).join(", ");
    const perThread = none ? `${fmt((r.peakRss - none.peakRss) / r.threads, 0)} MB a thread over none, ` : "";
    console.log(
      `threads   ${r.threads} render thread(s) making statements: ${perThread}peak RSS ${fmt(r.peakRss, 0)} MB (${fmt(none?.peakRss, 0)} MB with none), peak heap and external of each ${heap} MB, CPU ${fmt(r.cpuMsPerCustomer)} ms a customer`,
    );
  }
}

const RENDERERS: Record<string, () => Promise<Render>> = { omnidoc: async () => omnidoc, typst, pdfkit };
const render = RENDERERS[args.mode!];
if (render) console.log(JSON.stringify(await timeRenders(Number(args.count), await render())));
else if (args.mode === "phases") console.log(JSON.stringify(await runPhases(Number(args.count))));
else if (args.mode === "chromium") console.log(JSON.stringify(await runChromium(Number(args.count))));
else {
  const count = Number(args.count);
  const line = (name: string, r: Record<string, unknown>) =>
    console.log(
      `${name.padEnd(9)} ${r.statements} statements: ${fmt(r.perSecond)}/s, ${fmt(r.msPer)} ms each; ${r.pages} pages, ${fmt(r.pagesPerSecond)} pages/s, ${fmt(r.msPerPage, 2)} ms a page; CPU ${fmt(r.cpuMsPer)} ms each; ${fmt((r.avgBytes as number) / 1000)} kB each; peak RSS ${fmt(r.peakRssMb, 0)} MB, peak heap and external ${fmt(r.heapPeakMb, 0)} MB`,
    );
  const o = child("omnidoc", count);
  line("omnidoc", o);
  const threads = (args["thread-rss"] ?? "").split(",").filter(Boolean).map(Number);
  if (threads.length > 0) threadRss(threads, count);
  const peers: [string, Record<string, unknown>][] = [];
  for (const peer of (args.peers ?? "").split(",").filter(Boolean)) {
    const r = child(peer, peer === "chromium" ? Number(args.chromium) : count);
    peers.push([peer, r]);
    if (peer === "chromium")
      console.log(
        `chromium  ${r.statements} statements: ${fmt(r.perSecond)}/s, ${fmt(r.msPer)} ms each (driver peak RSS ${fmt(r.driverPeakRssMb, 0)} MB; the browser's own processes not counted)`,
      );
    else line(peer, r);
  }
  for (const [peer, r] of peers) {
    const perPage =
      r.msPerPage === undefined ? "" : `, per page ${fmt((r.msPerPage as number) / (o.msPerPage as number), 2)}x`;
    const cpu =
      r.cpuMsPer === undefined
        ? ""
        : `, in CPU a statement ${fmt((r.cpuMsPer as number) / (o.cpuMsPer as number), 2)}x`;
    console.log(
      `ratio     omnidoc / ${peer} = ${fmt((o.perSecond as number) / (r.perSecond as number), 2)}x in statements/s${perPage}${cpu}`,
    );
  }
  if (args.phases) {
    const p = child("phases", 230);
    const steps = p.msPerStep as Record<string, number>;
    console.log(`phases    ms per statement over ${p.statements} statements (total ${fmt(p.msTotal)} ms):`);
    for (const [k, v] of Object.entries(steps).sort((a, b) => b[1] - a[1]))
      console.log(
        `  ${k.padEnd(11)} ${fmt(v, 2).padStart(7)} ms  ${fmt((v / (p.msTotal as number)) * 100, 0).padStart(3)}%`,
      );
  }
  const flat = Number(args.flat);
  if (flat > 0) {
    const f = child("omnidoc", flat);
    console.log(
      `flat      ${f.statements} statements: ${fmt(f.perSecond)}/s, peak RSS ${fmt(f.peakRssMb, 0)} MB vs ${fmt(o.peakRssMb, 0)} MB at ${o.statements} (${fmt(((f.peakRssMb as number) / (o.peakRssMb as number) - 1) * 100, 1)}%)`,
    );
  }
}
