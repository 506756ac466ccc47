/**
 * Print batch size: the statements of a generated extract composed by the real command line (`omnidoc run
 * --channels pdf`, every print customer's statement), then each print batch merged from the same statements
 * by omnidoc in this process (`writePrintBatch`, the byte copy), by pdf-lib's page copy as omnidoc merged
 * before 2026-12-06 (load, `copyPages`, save: the A/B baseline, in this process too, the two alternating
 * round by round), and once by qpdf's page merge (`qpdf --empty --pages`, native C++, object streams
 * generated), in a process of its own. Prints bytes and the merge's CPU a statement of each, per template:
 * the median of the rounds with the slowest and fastest, and the load average before and after.
 *
 *   npx tsx bench/batch/print.ts                      # 300 customers (seed 15), batches of 20, 5 rounds
 *   npx tsx bench/batch/print.ts --records 2000 --size 500 --rounds 3
 *
 * Data lives in bench/.data (ignored).
 */
import "../signing-keys.ts";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { PDFDocument, ParseSpeeds } from "pdf-lib";
import { type PrintBatch, batchName, planPrintBatches, writePrintBatch } from "../../src/batch/print.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const DATA = join(ROOT, "bench/.data");
const RUN_DATE = "2026-11-01";

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}
const records = flag("--records", 300);
const size = flag("--size", 20);
const rounds = flag("--rounds", 5);

const omnidoc = (...args: string[]) =>
  execFileSync(process.execPath, [join(ROOT, "bin/omnidoc.mjs"), ...args], { stdio: "pipe", maxBuffer: 1 << 28 });

/** The baseline: qpdf merges the statements' pages into one file; its bytes and CPU milliseconds. */
function qpdfMerge(dir: string, paths: string[]): { bytes: number; cpuMs: number } {
  const out = join(DATA, "print-qpdf.pdf");
  const timeFile = `${out}.time`;
  execFileSync("/usr/bin/time", [
    ...["-f", "%U %S", "-o", timeFile, "qpdf", "--empty", "--object-streams=generate", "--pages"],
    ...paths.map((p) => join(dir, p)),
    ...["--", out],
  ]);
  const [user, system] = readFileSync(timeFile, "utf8").trim().split("\n").at(-1)!.split(" ").map(Number);
  return { bytes: statSync(out).size, cpuMs: (user! + system!) * 1000 };
}

/** The baseline: the merge as it was, pdf-lib loading each statement and copying its pages; its bytes. */
async function pdfLibMerge(dir: string, batch: PrintBatch): Promise<number> {
  const merged = await PDFDocument.create({ updateMetadata: false });
  const when = new Date(`${RUN_DATE}T00:00:00Z`);
  merged.setTitle(`Print batch ${batch.number}`);
  merged.setProducer("omnidoc");
  merged.setCreationDate(when);
  merged.setModificationDate(when);
  for (const s of batch.statements) {
    const source = await PDFDocument.load(readFileSync(join(dir, s.path)), {
      updateMetadata: false,
      parseSpeed: ParseSpeeds.Fastest,
    });
    for (const page of await merged.copyPages(source, source.getPageIndices())) merged.addPage(page);
  }
  const bytes = await merged.save({ objectsPerTick: Number.POSITIVE_INFINITY });
  writeFileSync(join(DATA, "print-pdf-lib.pdf"), bytes);
  return bytes.length;
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
};
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

mkdirSync(DATA, { recursive: true });
const input = join(DATA, `print-sample-${records}.ndjson`);
omnidoc("sample", String(records), "--seed", "15", "--out", input);

for (const template of ["energy-bill", "payment-reminder"]) {
  const dir = join(DATA, `print-run-${template}-${records}`);
  rmSync(dir, { recursive: true, force: true });
  omnidoc(
    ...["run", "--template", template, "--input", input, "--out", dir, "--date", RUN_DATE],
    ...["--channels", "pdf", "--print-batch", String(size), "--no-archive"],
  );
  const batches = await planPrintBatches(dir, size);
  const statements = batches.reduce((n, b) => n + b.statements.length, 0);
  // One merge of each untimed first: the figures are a warm process's, as in a run's print threads after their
  // first batch.
  await writePrintBatch(dir, batches[0]!, RUN_DATE);
  await pdfLibMerge(dir, batches[0]!);
  const load = loadavg()[0]!.toFixed(1);
  const ours = { bytes: 0, ms: [] as number[] };
  const before = { bytes: 0, ms: [] as number[] };
  const merges = {
    ours: async () => {
      ours.bytes = 0;
      for (const batch of batches) {
        await writePrintBatch(dir, batch, RUN_DATE);
        ours.bytes += statSync(join(dir, "print", `${batchName(batch.number)}.pdf`)).size;
      }
    },
    before: async () => {
      before.bytes = 0;
      for (const batch of batches) before.bytes += await pdfLibMerge(dir, batch);
    },
  };
  for (let round = 0; round < rounds; round++)
    for (const side of round % 2 ? (["before", "ours"] as const) : (["ours", "before"] as const)) {
      const since = process.cpuUsage();
      await merges[side]();
      (side === "ours" ? ours : before).ms.push(cpuMs(since) / statements);
    }
  const qpdf = { bytes: 0, cpuMs: 0 };
  for (const batch of batches) {
    const q = qpdfMerge(
      dir,
      batch.statements.map((s) => s.path),
    );
    qpdf.bytes += q.bytes;
    qpdf.cpuMs += q.cpuMs;
  }
  const median = (ms: number[]) => [...ms].sort((a, b) => a - b)[ms.length >> 1]!;
  const spread = (ms: number[]) =>
    `${median(ms).toFixed(2)} ms a statement (${Math.min(...ms).toFixed(2)}–${Math.max(...ms).toFixed(2)})`;
  console.log(
    `${template}: ${statements} print statements in ${batches.length} batches of at most ${size}, ` +
      `${rounds} rounds, load ${load} → ${loadavg()[0]!.toFixed(1)}:\n` +
      `  omnidoc  ${kib(ours.bytes)} (${kib(ours.bytes / batches.length)} a batch), ${spread(ours.ms)}\n` +
      `  pdf-lib  ${kib(before.bytes)}, ${spread(before.ms)}: omnidoc ${(median(before.ms) / median(ours.ms)).toFixed(1)}x less CPU, ` +
      `${(ours.bytes / before.bytes).toFixed(3)} of the size\n` +
      `  qpdf     ${kib(qpdf.bytes)}, ${(qpdf.cpuMs / statements).toFixed(2)} ms a statement`,
  );
}
