import { readFileSync } from "node:fs";

/**
 * Where a thread's time goes, from a V8 `.cpuprofile` (node --cpu-prof): self time summed by the package or
 * the source folder each function lives in, so "pdfkit", "fontkit", "src/layout" and "(garbage collector)"
 * can be weighed against each other.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export function placeOf(url: string, functionName: string): string {
  if (url === "") return functionName.startsWith("(") ? functionName : "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const src = /\/(src\/(?:[^/]+\/)?)(?:[^/]+\/)*[^/]+$/.exec(url);
  if (src) return src[1].endsWith(".ts/") ? src[1] : src[1].replace(/\/$/, "");
  if (url.startsWith("node:")) return url;
  return "(other)";
}

/** Milliseconds of self time per place, largest first. */
export function selfTimeByPlace(path: string): { total: number; places: [string, number][] } {
  const profile = JSON.parse(readFileSync(path, "utf8")) as CpuProfile;
  const place = new Map<number, string>();
  for (const n of profile.nodes) place.set(n.id, placeOf(n.callFrame.url, n.callFrame.functionName));
  const ms = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    const p = place.get(id) ?? "(unknown)";
    ms.set(p, (ms.get(p) ?? 0) + dt);
  });
  return { total, places: [...ms].sort((a, b) => b[1] - a[1]) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const file of process.argv.slice(2)) {
    const { total, places } = selfTimeByPlace(file);
    process.stdout.write(`${file}: ${total.toFixed(0)} ms sampled\n`);
    for (const [p, t] of places.slice(0, 20))
      process.stdout.write(`  ${((100 * t) / total).toFixed(1).padStart(5)}%  ${t.toFixed(0).padStart(7)} ms  ${p}\n`);
  }
}
