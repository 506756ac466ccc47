import { createReadStream } from "node:fs";
import type { Command } from "commander";
import { ProblemError, formatProblem } from "../core/index.ts";
import type { DecisionImpact, ImpactRecord } from "../releases/index.ts";
import type { CliContext, CliOutput } from "./context.ts";
import { CliError, EXIT } from "./errors.ts";
import { ENGINE_FLAG_HELP, type EngineFlags, engineFromFlags, parseDate, withOneOffSigningKeys } from "./shared.ts";

interface ImpactFlags extends EngineFlags {
  input: string;
  against: string;
  template: string;
  date?: string;
  json?: boolean;
  pages?: boolean;
}

/**
 * `omnidoc release impact`: what the version in this project (or named by the engine flags) does to the
 * decisions of an extract's customers, against the version in a release or project folder. Registered under
 * the `release` command by whoever builds it.
 */
export function registerReleaseImpact(release: Command, ctx: CliContext): void {
  release
    .command("impact")
    .description(
      "how many customers of an extract move from one offer to another, per slot and segment, against a release",
    )
    .requiredOption("-i, --input <file>", "customer extract, NDJSON or CSV (by its extension)")
    .requiredOption(
      "--against <dir>",
      "the version to compare with: an exported release folder, or a project root at the released version",
    )
    .option("-t, --template <id>", "template whose audience and documents count", "energy-bill")
    .option("-d, --date <YYYY-MM-DD>", "run date both versions decide on (default: today)")
    .option("--pages", "compose each customer's statement with both versions and list page-count changes (slow)")
    .option("--json", "print the impact as JSON")
    .option("--templates <dir>", `the new version's ${ENGINE_FLAG_HELP.templates}`)
    .option("--catalogue <file>", `the new version's ${ENGINE_FLAG_HELP.catalogue}`)
    .option("--theme <file>", `the new version's ${ENGINE_FLAG_HELP.theme}`)
    .action(async (flags: ImpactFlags) => {
      const runDate = parseDate(flags.date) ?? new Date().toISOString().slice(0, 10);
      // The documents compared for page counts go to no one: a one-off key signs their links if none is set.
      const env = withOneOffSigningKeys(ctx.io.stderr);
      const { decisionImpact, engineOfFolder } = await import("../releases/index.ts");
      const base = await engineOfFolder(flags.against, env);
      if (!base.ok) throw new ProblemError(base.problems);
      const next = await engineFromFlags(flags, env);
      const impact = await decisionImpact(base.value, next, flags.template, await extract(flags.input), {
        runDate,
        pages: Boolean(flags.pages),
      });
      if (flags.json) ctx.io.stdout.write(`${JSON.stringify(impact, null, 2)}\n`);
      else writeImpact(ctx.io.stdout, flags.template, impact);
      for (const p of impact.problems) ctx.io.stderr.write(`omnidoc: ${formatProblem(p)}\n`);
      if (impact.problems.length > 0) ctx.exitCode = EXIT.failure;
    });
}

/** The extract's records, read and validated one at a time as the impact asks for them. */
async function extract(path: string): Promise<AsyncIterable<ImpactRecord>> {
  const { formatOf, readRecords } = await import("../batch/index.ts");
  const input = createReadStream(path);
  await new Promise<void>((resolve, reject) => {
    input.once("error", (e) => reject(new CliError(`cannot read ${path}: ${e.message}`, EXIT.failure)));
    input.once("readable", resolve);
    input.once("end", resolve);
  });
  const records = readRecords(input, formatOf(path));
  return (async function* () {
    for await (const rec of records) yield { line: rec.line, profile: rec.read() };
  })();
}

function writeImpact(out: CliOutput, template: string, impact: DecisionImpact): void {
  const seconds = (impact.elapsedMs / 1000).toFixed(1);
  out.write(
    `${template} on ${impact.runDate}: ${impact.customers} customers decided with both versions in ${seconds} s; ` +
      `${impact.changed} would get a different offer\n`,
  );
  for (const m of impact.moves) {
    const who = m.customers === 1 ? "customer" : "customers";
    out.write(
      `  ${m.slot} · ${m.segment}: ${m.customers} ${who} from ${m.from ?? "nothing"} to ${m.to ?? "nothing"} (e.g. ${m.examples.join(", ")})\n`,
    );
  }
  if (impact.pageChanges === undefined) return;
  out.write(`${impact.pageChanges.length} statements change page count\n`);
  for (const c of impact.pageChanges) out.write(`  ${c.customerId}: ${c.from} → ${c.to} pages\n`);
}
