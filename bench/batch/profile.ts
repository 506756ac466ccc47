import { existsSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Where a thread's time goes, from a V8 `.cpuprofile` (node --cpu-prof): self time summed by the package or
 * the source folder each function lives in, so "pdfkit", "fontkit", "src/layout" and "(garbage collector)"
 * can be weighed against each other. The command line and its threads run omnidoc compiled (`src/compiled.mjs`):
 * a function of a compiled bundle is placed through the bundle's source map, at the source file it came from.
 *
 *   npx tsx bench/batch/profile.ts FILE.cpuprofile...                 # by package or source folder
 *   npx tsx bench/batch/profile.ts --functions src/view FILE.cpuprofile   # by function, in places matching
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export function placeOf(url: string, functionName: string): string {
  if (url === "") return functionName.startsWith("(") ? functionName : "(native)";
  const pkg = /node_modules\/((?!\.cache\/)(?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const src = /\/(src\/(?:[^/]+\/)?)(?:[^/]+\/)*[^/]+$/.exec(url);
  if (src) return src[1].endsWith(".ts/") ? src[1] : src[1].replace(/\/$/, "");
  if (url.startsWith("node:")) return url;
  return "(other)";
}

/** The source file and line a compiled bundle's function came from, through the bundle's `.map`; else the URL. */
function sourceLocator(): (frame: ProfileNode["callFrame"]) => { url: string; line?: number } {
  const maps = new Map<string, { map: SourceMap; dir: string } | undefined>();
  const mapOf = (url: string) => {
    if (!maps.has(url)) {
      const path = url.startsWith("file:") ? fileURLToPath(url) : url;
      const mapped = existsSync(`${path}.map`)
        ? { map: new SourceMap(JSON.parse(readFileSync(`${path}.map`, "utf8"))), dir: dirname(path) }
        : undefined;
      maps.set(url, mapped);
    }
    return maps.get(url);
  };
  return ({ url, lineNumber, columnNumber }) => {
    if (!url.includes("/.cache/omnidoc/")) return { url };
    const m = mapOf(url);
    const entry = m?.map.findEntry(lineNumber, columnNumber) as { originalSource?: string; originalLine?: number };
    if (!m || !entry?.originalSource) return { url };
    return { url: resolve(m.dir, entry.originalSource), line: (entry.originalLine ?? 0) + 1 };
  };
}

/** Milliseconds of self time per place (or, given `functionsIn`, per function of the places matching it), largest first. */
export function selfTimeByPlace(path: string, functionsIn?: RegExp): { total: number; places: [string, number][] } {
  const profile = JSON.parse(readFileSync(path, "utf8")) as CpuProfile;
  const locate = sourceLocator();
  const place = new Map<number, string>();
  for (const n of profile.nodes) {
    const { url, line } = locate(n.callFrame);
    const where = placeOf(url, n.callFrame.functionName);
    if (!functionsIn) place.set(n.id, where);
    else if (functionsIn.test(where)) {
      const file = url.replace(/^.*\/(src|node_modules)\//, "$1/");
      place.set(n.id, `${n.callFrame.functionName || "(anonymous)"} ${file}${line ? `:${line}` : ""}`);
    }
  }
  const ms = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    const p = place.get(id) ?? (functionsIn ? "(elsewhere)" : "(unknown)");
    ms.set(p, (ms.get(p) ?? 0) + dt);
  });
  return { total, places: [...ms].sort((a, b) => b[1] - a[1]) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--functions");
  const functionsIn = at < 0 ? undefined : new RegExp(args.splice(at, 2)[1]!);
  for (const file of args) {
    const { total, places } = selfTimeByPlace(file, functionsIn);
    process.stdout.write(`${file}: ${total.toFixed(0)} ms sampled\n`);
    for (const [p, t] of places.slice(0, 20))
      process.stdout.write(`  ${((100 * t) / total).toFixed(1).padStart(5)}%  ${t.toFixed(0).padStart(7)} ms  ${p}\n`);
  }
}
