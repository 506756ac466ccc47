/**
 * Print batch size: the statements of a generated extract composed by the real command line (`omnidoc run
 * --channels pdf`, every print customer's statement), then each print batch merged twice from the same
 * statements: by omnidoc in this process (`writePrintBatch`) and by the baseline, qpdf's page merge
 * (`qpdf --empty --pages`, native C++, object streams generated as omnidoc's are), in a process of its own.
 * Prints bytes and the merge's CPU a statement of each, per template.
 *
 *   npx tsx bench/batch/print.ts                      # 300 customers (seed 15), batches of 20
 *   npx tsx bench/batch/print.ts --records 2000 --size 500
 *
 * Data lives in bench/.data (ignored).
 */
import "../signing-keys.ts";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { batchName, planPrintBatches, writePrintBatch } from "../../src/batch/print.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const DATA = join(ROOT, "bench/.data");
const RUN_DATE = "2026-11-01";

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}
const records = flag("--records", 300);
const size = flag("--size", 20);

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
  // One merge untimed first: the figures are a warm process's, as in a run's print threads after their first batch.
  await writePrintBatch(dir, batches[0]!, RUN_DATE);
  const ours = { bytes: 0, cpuMs: 0 };
  const qpdf = { bytes: 0, cpuMs: 0 };
  for (const batch of batches) {
    const since = process.cpuUsage();
    await writePrintBatch(dir, batch, RUN_DATE);
    ours.cpuMs += cpuMs(since);
    ours.bytes += statSync(join(dir, "print", `${batchName(batch.number)}.pdf`)).size;
    const q = qpdfMerge(
      dir,
      batch.statements.map((s) => s.path),
    );
    qpdf.bytes += q.bytes;
    qpdf.cpuMs += q.cpuMs;
  }
  const statements = batches.reduce((n, b) => n + b.statements.length, 0);
  const each = (ms: number) => `${(ms / statements).toFixed(2)} ms a statement`;
  console.log(
    `${template}: ${statements} print statements in ${batches.length} batches of at most ${size}: ` +
      `omnidoc ${kib(ours.bytes)} (${kib(ours.bytes / batches.length)} a batch), ${each(ours.cpuMs)}; ` +
      `qpdf ${kib(qpdf.bytes)}, ${each(qpdf.cpuMs)}: ${(ours.bytes / qpdf.bytes).toFixed(3)} of the size, ` +
      `${(ours.cpuMs / qpdf.cpuMs).toFixed(2)}x the CPU`,
  );
}
