import type { Command } from "commander";
import { archiveUrl, openArchive } from "../archive/index.ts";
import { ProblemError } from "../core/index.ts";
import { type ExperimentVerdict, type OfferStatsRow, experimentVerdicts, withRates } from "../offers/index.ts";
import type { CliContext } from "./context.ts";
import { table } from "./customer.ts";
import { CliError, EXIT } from "./errors.ts";
import { parseDate } from "./shared.ts";

/**
 * `omnidoc stats`: how each offer fared per channel and A/B variant, and per experiment which variant wins on
 * acceptance rate, or that the counts are too small to tell.
 */
export function registerStats(program: Command, ctx: CliContext): void {
  program
    .command("stats")
    .description("offers sent, clicked, accepted, declined and not-now per channel and variant; which variant wins")
    .option(
      "-a, --archive <url>",
      "archive: sqlite:PATH or postgres://… (default: $OMNIDOC_ARCHIVE or the embedded one)",
    )
    .option("--from <date>", "first day counted, YYYY-MM-DD (run dates of documents, days of responses)")
    .option("--to <date>", "last day counted, YYYY-MM-DD")
    .option("--offer <id>", "one offer only")
    .option("--json", "the figures as JSON, as GET /v1/offers/stats answers them")
    .action(async (flags: { archive?: string; from?: string; to?: string; offer?: string; json?: boolean }) => {
      const from = parseDate(flags.from, "--from");
      const to = parseDate(flags.to, "--to");
      if (from !== undefined && to !== undefined && from > to)
        throw new CliError(`--from ${from} is after --to ${to}`, EXIT.usage);
      const opened = await openArchive(archiveUrl(flags.archive));
      if (!opened.ok) throw new ProblemError(opened.problems);
      const archive = opened.value;
      try {
        const counts = await archive.offerStats({ from, to, offerId: flags.offer });
        const offers = withRates(counts);
        const experiments = experimentVerdicts(counts);
        ctx.io.stdout.write(
          flags.json
            ? `${JSON.stringify({ from, to, offer: flags.offer, offers, experiments }, null, 2)}\n`
            : `${formatStats(offers, experiments)}\n`,
        );
      } finally {
        await archive.close();
      }
    });
}

/** The counts per offer, channel and variant, then a verdict per experiment, for a marketer's terminal. */
export function formatStats(offers: readonly OfferStatsRow[], experiments: readonly ExperimentVerdict[]): string {
  if (offers.length === 0) return "no offers sent or answered in this period";
  const rows = offers.map((o) => [
    o.offerId,
    o.channel ?? "(none)",
    o.experiment ? `${o.experiment.id}/${o.experiment.variant}` : "-",
    String(o.sent),
    String(o.clicked),
    String(o.accepted),
    String(o.declined),
    String(o.notNow),
    percent(o.rates.clicked),
    percent(o.rates.accepted),
  ]);
  const header = [
    "offer",
    "channel",
    "variant",
    "sent",
    "clicked",
    "accepted",
    "declined",
    "not-now",
    "click%",
    "accept%",
  ];
  const parts = [table(`${offers.length} offer rows`, header, rows, [3, 4, 5, 6, 7, 8, 9])];
  if (experiments.length > 0)
    parts.push(
      table(
        "experiments, judged on acceptance rate (accepted / sent, every channel), best against runner-up",
        ["experiment", "offer", "variants (accepted/sent)", "verdict"],
        experiments.map((e) => [
          e.experimentId,
          e.offerId,
          e.variants.map((v) => `${v.variant} ${v.accepted}/${v.sent} ${percent(v.acceptanceRate)}`).join(", "),
          verdict(e),
        ]),
      ),
    );
  return parts.join("\n\n");
}

function verdict(e: ExperimentVerdict): string {
  const p = e.pValue === undefined ? "" : ` (p = ${e.pValue < 0.001 ? "< 0.001" : e.pValue.toFixed(3)})`;
  switch (e.verdict) {
    case "wins":
      return `${e.winner} wins on acceptance rate${p}`;
    case "no-difference":
      return `no clear winner yet${p}`;
    case "too-few":
      return "too few sent or accepted to tell";
  }
}

function percent(rate: number | null): string {
  return rate === null ? "-" : `${(rate * 100).toFixed(1)}%`;
}
