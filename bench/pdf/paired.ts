/**
 * Before and after in one process: each statement rendered by an older checkout of the project (`--base`,
 * e.g. a `git worktree add` of the commit before a change) and by this one, in alternating order, with the
 * CPU time of each render. Both sides meet the same load at the same moment, so their ratio holds on a
 * shared machine where two separate runs minutes apart swing by ±20%.
 *
 *   npx tsx bench/pdf/paired.ts --base ../omnidoc-before [--count 300] [--warm-up 60]
 */
import "../signing-keys.ts";
import { loadavg } from "node:os";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { compose } from "../../src/compose.ts";
import type { CompiledPdf } from "../../src/channels/pdf/index.ts";
import { parseProfileLine } from "../../src/profile/index.ts";
import { sampleLines } from "../../src/sample/index.ts";
import type { View } from "../../src/view/index.ts";

const HERE = fileURLToPath(new URL("../..", import.meta.url));

const { values: args } = parseArgs({
  options: {
    base: { type: "string" },
    count: { type: "string", default: "300" },
    "warm-up": { type: "string", default: "60" },
    seed: { type: "string", default: "11" },
  },
});
if (!args.base) throw new Error("--base names the checkout to compare with");

/** One checkout's engine and PDF channel, loaded from its own source. */
async function side(root: string) {
  const { buildEngine } = await import(`${root}/src/engine.ts`);
  const { nodeWorld } = await import(`${root}/src/node-world.ts`);
  const { pdfChannel } = await import(`${root}/src/channels/pdf/index.ts`);
  const engine = await buildEngine(nodeWorld(root));
  if (!engine.ok) throw new Error(`${root}: ${engine.problems[0].message}`);
  const compiled = engine.value.templates.get("energy-bill").channels.pdf as CompiledPdf;
  return {
    engine: engine.value,
    channel: pdfChannel as typeof import("../../src/channels/pdf/index.ts").pdfChannel,
    compiled,
  };
}

const sides = [await side(resolve(args.base)), await side(HERE)];
const count = Number(args.count);
const warmUp = Number(args["warm-up"]);
const views: View[] = [];
let line = 0;
for (const text of sampleLines({ count: count + warmUp, seed: Number(args.seed) })) {
  const p = parseProfileLine(text, ++line);
  if (!p.ok) continue;
  const c = await compose(sides[1].engine, p.value, {
    template: "energy-bill",
    channels: [],
    runDate: p.value.account.statementDate,
  });
  if (c.ok) views.push(c.value.view);
}

const ctx = { warnings: { warn: () => {} } };
const cpuMs = [0, 0];
const bytes = [0, 0];
for (const [i, view] of views.entries()) {
  for (const k of i % 2 === 0 ? [0, 1] : [1, 0]) {
    const c0 = process.cpuUsage();
    const r = await sides[k].channel.render(sides[k].compiled, view, ctx);
    const c = process.cpuUsage(c0);
    if (!r.ok) throw new Error(r.problems[0].message);
    if (i < warmUp) continue;
    cpuMs[k] += (c.user + c.system) / 1000;
    bytes[k] += r.value.bytes.length;
  }
}
const n = views.length - warmUp;
const f = (x: number, d = 2) => x.toFixed(d);
console.log(
  `${n} statements, CPU a statement: base ${f(cpuMs[0] / n)} ms, this ${f(cpuMs[1] / n)} ms, this / base ${f(cpuMs[1] / cpuMs[0], 3)}; ` +
    `file: base ${f(bytes[0] / n / 1000, 1)} kB, this ${f(bytes[1] / n / 1000, 1)} kB; load ${loadavg()
      .map((l) => f(l, 1))
      .join(" ")}`,
);
