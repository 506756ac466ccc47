import { resolve } from "node:path";
import type { Command } from "commander";
import { archiveUrl, openArchive } from "../archive/index.ts";
import { ProblemError } from "../core/index.ts";
import { nodeWorld } from "../node-world.ts";
import type { CliContext } from "./context.ts";
import { PACKAGE_ROOT } from "./shared.ts";

/**
 * `omnidoc letters`: the letters waiting in the print queue (triggered messages that could not be delivered by
 * email or text) as one print batch, for the print house with the next drop.
 */
export function registerLetters(program: Command, ctx: CliContext): void {
  program
    .command("letters")
    .description("write the letters waiting in the print queue as one print batch, sorted by postcode")
    .requiredOption("-o, --out <dir>", "folder of the print batch: print/batch-0001.pdf and its index")
    .option(
      "-a, --archive <url>",
      "archive: sqlite:PATH or postgres://… (default: $OMNIDOC_ARCHIVE or the embedded one)",
    )
    .action(async (flags: { out: string; archive?: string }) => {
      const opened = await openArchive(archiveUrl(flags.archive));
      if (!opened.ok) throw new ProblemError(opened.problems);
      const { collectLetters } = await import("../realtime/index.ts");
      try {
        const batch = await collectLetters(opened.value, resolve(flags.out), nodeWorld(PACKAGE_ROOT).now());
        ctx.io.stdout.write(
          batch.file
            ? `${batch.letters} letters, ${batch.pages} pages: ${resolve(flags.out, batch.file)}\n`
            : "no letters waiting\n",
        );
      } finally {
        await opened.value.close();
      }
    });
}
