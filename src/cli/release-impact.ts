import { createReadStream } from "node:fs";
import { dirname, join } from "node:path";
import type { Command } from "commander";
import { ProblemError, formatProblem } from "../core/index.ts";
import type { DecisionImpact, ImpactRecord } from "../releases/index.ts";
import type { CliContext, CliOutput } from "./context.ts";
import { CliError, EXIT } from "./errors.ts";
import { type EngineFlags, engineFromFlags, parseDate, withOneOffSigningKeys, withEngineFlags } from "./shared.ts";

interface ImpactFlags extends EngineFlags {
  input: string;
  against: string;
  archive?: string;
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
  const command = release
    .command("impact")
    .description(
      "how many customers of an extract move from one offer to another, per slot and segment, against a release",
    )
    .requiredOption("-i, --input <file>", "customer extract, NDJSON or CSV (by its extension)")
    .requiredOption(
      "--against <dir>",
      "the version to compare with: an exported release folder, a project root at the released version, or `released`: the template's released release in the archive",
    )
    .option(
      "-a, --archive <url>",
      "archive of `--against released`: sqlite:PATH or postgres://… (default: $OMNIDOC_ARCHIVE or the embedded one)",
    )
    .option("-t, --template <id>", "template whose audience and documents count", "energy-bill")
    .option("-d, --date <YYYY-MM-DD>", "run date both versions decide on (default: today)")
    .option("--pages", "compose each customer's statement with both versions and list page-count changes (slow)")
    .option("--json", "print the impact as JSON");
  withEngineFlags(command, undefined, "the new version's").action(async (flags: ImpactFlags) => {
    const runDate = parseDate(flags.date) ?? new Date().toISOString().slice(0, 10);
    // The documents compared for page counts go to no one: a one-off key signs their links if none is set.
    const env = withOneOffSigningKeys(ctx.io.stderr);
    const { decisionImpact, engineOfFolder } = await import("../releases/index.ts");
    const against =
      flags.against === "released" ? await releasedFolder(flags) : { dir: flags.against, name: flags.against };
    const base = await engineOfFolder(against.dir, env);
    if (!base.ok) throw new ProblemError(base.problems);
    const next = await engineFromFlags(flags, env);
    const impact = await decisionImpact(base.value, next, flags.template, await extract(flags.input), {
      runDate,
      pages: Boolean(flags.pages),
    });
    if (flags.json) ctx.io.stdout.write(`${JSON.stringify(impact, null, 2)}\n`);
    else writeImpact(ctx.io.stdout, `${flags.template} against ${against.name}`, impact);
    for (const p of impact.problems) ctx.io.stderr.write(`omnidoc: ${formatProblem(p)}\n`);
    if (impact.problems.length > 0) ctx.exitCode = EXIT.failure;
  });
}

/**
 * The template's released release, written out beside the archive's blobs as production mode writes it (named
 * by content, so a second impact reuses it). OMD_RELEASE_REQUIRED when the template has none.
 */
async function releasedFolder(flags: ImpactFlags): Promise<{ dir: string; name: string }> {
  const { archiveUrl, openArchive, parseArchiveUrl } = await import("../archive/index.ts");
  const { releaseFolder, releasedRelease } = await import("../releases/production.ts");
  const url = archiveUrl(flags.archive);
  const location = parseArchiveUrl(url);
  if (!location.ok) throw new ProblemError(location.problems);
  const archive = await openArchive(url);
  if (!archive.ok) throw new ProblemError(archive.problems);
  try {
    const release = await releasedRelease(archive.value, flags.template);
    const dir = await releaseFolder(archive.value, release.id, join(dirname(location.value.blobs), "releases"));
    return { dir, name: `release ${release.id.slice(0, 12)} (${release.templateVersion})` };
  } finally {
    await archive.value.close();
  }
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

function writeImpact(out: CliOutput, what: string, impact: DecisionImpact): void {
  const seconds = (impact.elapsedMs / 1000).toFixed(1);
  out.write(
    `${what} on ${impact.runDate}: ${impact.customers} customers decided with both versions in ${seconds} s; ` +
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
