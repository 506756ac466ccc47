/**
 * Print batch size: the statements of a generated extract composed by the real command line (`omnidoc run
 * --channels pdf`, every print customer's statement), then each print batch merged twice in this process
 * from the same statements: by omnidoc (`writePrintBatch`, a stream common to several statements stored once)
 * and by the baseline, pdf-lib's page copy alone (every statement's font programs copied, as batches were
 * written before). Prints bytes, the ratio and the merge time of each, per template.
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
import { PDFDocument, ParseSpeeds } from "pdf-lib";
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

/** The baseline: the statements' pages copied into one document by pdf-lib, nothing shared. */
async function copiedOnly(dir: string, paths: string[]): Promise<number> {
  const merged = await PDFDocument.create({ updateMetadata: false });
  for (const path of paths) {
    const source = await PDFDocument.load(readFileSync(join(dir, path)), { parseSpeed: ParseSpeeds.Fastest });
    for (const page of await merged.copyPages(source, source.getPageIndices())) merged.addPage(page);
  }
  return (await merged.save()).length;
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
};
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

mkdirSync(DATA, { recursive: true });
const input = join(DATA, `print-sample-${records}.ndjson`);
omnidoc("sample", String(records), "--seed", "15", "--out", input);

let sharedTotal = 0;
let copiedTotal = 0;
for (const template of ["energy-bill", "payment-reminder"]) {
  const dir = join(DATA, `print-run-${template}-${records}`);
  rmSync(dir, { recursive: true, force: true });
  omnidoc(
    ...["run", "--template", template, "--input", input, "--out", dir, "--date", RUN_DATE],
    ...["--channels", "pdf", "--print-batch", String(size), "--no-archive"],
  );
  const batches = await planPrintBatches(dir, size);
  let shared = 0;
  let copied = 0;
  let sharedMs = 0;
  let copiedMs = 0;
  for (const batch of batches) {
    let since = process.cpuUsage();
    await writePrintBatch(dir, batch, RUN_DATE);
    sharedMs += cpuMs(since);
    shared += statSync(join(dir, "print", `${batchName(batch.number)}.pdf`)).size;
    since = process.cpuUsage();
    copied += await copiedOnly(
      dir,
      batch.statements.map((s) => s.path),
    );
    copiedMs += cpuMs(since);
  }
  const statements = batches.reduce((n, b) => n + b.statements.length, 0);
  console.log(
    `${template}: ${statements} print statements in ${batches.length} batches of at most ${size}: ` +
      `omnidoc ${kib(shared)} (${kib(shared / batches.length)} a batch, ${sharedMs.toFixed(0)} ms CPU), ` +
      `pdf-lib copy alone ${kib(copied)} (${copiedMs.toFixed(0)} ms CPU): ${(shared / copied).toFixed(3)} of the size`,
  );
  sharedTotal += shared;
  copiedTotal += copied;
}
console.log(
  `both templates: ${kib(sharedTotal)} against ${kib(copiedTotal)}: ${(sharedTotal / copiedTotal).toFixed(3)}`,
);
