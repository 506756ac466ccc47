import type { Command } from "commander";
import { ProblemError, formatProblem } from "../core/index.ts";
import type { CliContext } from "./context.ts";
import { EXIT } from "./errors.ts";
import { compositionFiles, writeFiles } from "./outputs.ts";
import {
  type EngineFlags,
  engineFromFlags,
  parseChannels,
  parseDate,
  readProfileFile,
  requireSigningKeys,
  withEngineFlags,
} from "./shared.ts";

interface RenderFlags extends EngineFlags {
  template: string;
  profile: string;
  channel: string;
  out: string;
  date?: string;
  pdfa?: boolean;
}

/** `omnidoc render`: one customer, one decision, the channels asked for, written to a folder. */
export function registerRender(program: Command, ctx: CliContext): void {
  const command = program
    .command("render")
    .description("compose one customer's documents from one decision")
    .requiredOption("-t, --template <id>", "template id, e.g. energy-bill")
    .requiredOption("-p, --profile <file>", "customer profile as a JSON file")
    .option("-c, --channel <list>", "pdf, email, sms, a comma-separated list, or all", "all")
    .requiredOption("-o, --out <dir>", "folder to write <id>.pdf, .html, .txt, .eml, .sms.json, .decision.json")
    .option("-d, --date <YYYY-MM-DD>", "run date (default: the statement date of the profile)")
    .option("--pdfa", "write PDF/A-3b for archiving");
  withEngineFlags(command).action(async (flags: RenderFlags) => {
    requireSigningKeys();
    const channels = parseChannels(flags.channel);
    const profile = readProfileFile(flags.profile);
    const runDate = parseDate(flags.date) ?? profile.account.statementDate;
    const engine = await engineFromFlags(flags);
    const { compose } = await import("../compose.ts");
    const result = await compose(engine, profile, {
      template: flags.template,
      channels,
      runDate,
      channelOptions: { pdfa: Boolean(flags.pdfa) },
    });
    if (!result.ok) throw new ProblemError(result.problems);
    const c = result.value;
    for (const path of writeFiles(flags.out, compositionFiles(profile.id, c))) ctx.io.stdout.write(`wrote ${path}\n`);
    for (const p of [...c.warnings, ...c.problems]) ctx.io.stderr.write(`omnidoc: ${formatProblem(p)}\n`);
    if (c.problems.length > 0) ctx.exitCode = EXIT.failure;
  });
}
