import { accessSync, constants, createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { Command } from "commander";
import { type Archive, archiveUrl, openArchive } from "../archive/index.ts";
import { ProblemError, formatProblem } from "../core/index.ts";
import { type CustomerInteraction, parseInteractionLine } from "../interactions/index.ts";
import type { CliContext } from "./context.ts";
import { CliError, EXIT } from "./errors.ts";

/** Interactions recorded in one transaction: a large file is loaded without holding it all. */
const BATCH = 500;

/**
 * `omnidoc interactions import FILE.ndjson`: every system's export of contacts, one interaction a line with its
 * `customerId`. Good lines are loaded, bad ones reported by line and field; importing again adds nothing.
 */
export function registerInteractions(program: Command, ctx: CliContext): void {
  const interactions = program
    .command("interactions")
    .description("customers' interactions from other systems (call centre, chat, social, web, store, email)");
  interactions
    .command("import")
    .description("load interactions from NDJSON, one a line with its customerId; each source and sourceId once")
    .argument("<file>", "NDJSON file, one interaction a line")
    .option(
      "-a, --archive <url>",
      "archive: sqlite:PATH or postgres://… (default: $OMNIDOC_ARCHIVE or the embedded one)",
    )
    .action(async (file: string, flags: { archive?: string }) => {
      try {
        accessSync(file, constants.R_OK);
      } catch (e) {
        throw new CliError(`cannot read ${file}: ${(e as Error).message}`, EXIT.failure);
      }
      const opened = await openArchive(archiveUrl(flags.archive));
      if (!opened.ok) throw new ProblemError(opened.problems);
      const archive = opened.value;
      try {
        const counts = await load(archive, file, (problem) => ctx.io.stderr.write(`omnidoc: ${problem}\n`));
        ctx.io.stdout.write(
          `added          ${counts.added}\nalready there  ${counts.existing}\nrejected       ${counts.rejected}\n`,
        );
        if (counts.rejected > 0) ctx.exitCode = EXIT.failure;
      } finally {
        await archive.close();
      }
    });
}

async function load(archive: Archive, file: string, reject: (problem: string) => void) {
  const counts = { added: 0, existing: 0, rejected: 0 };
  let batch: CustomerInteraction[] = [];
  const flush = async () => {
    for (const r of await archive.recordInteractions(batch)) counts[r.added ? "added" : "existing"]++;
    batch = [];
  };
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY })) {
    const r = parseInteractionLine(text, ++line);
    if (!r.ok) {
      counts.rejected++;
      reject(formatProblem(r.problems[0]));
      continue;
    }
    batch.push(r.value);
    if (batch.length === BATCH) await flush();
  }
  await flush();
  return counts;
}
