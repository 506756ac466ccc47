import { resolve } from "node:path";
import type { Command } from "commander";
import { ProblemError } from "../core/index.ts";
import { archiveUrl, openArchive } from "../archive/index.ts";
import { type CustomerHistory, NO_HISTORY, decide, explainDecision, loadCatalogue } from "../decide/index.ts";
import { nodeWorld } from "../node-world.ts";
import type { CliContext } from "./context.ts";
import { PACKAGE_ROOT, parseDate, readProfileFile, withEngineFlags } from "./shared.ts";

interface DecideFlags {
  profile: string;
  date?: string;
  catalogue?: string;
  explain?: boolean;
  archive?: string | true;
}

/** `omnidoc decide`: which offers and messages one customer gets, and why each other item was left out. */
export function registerDecide(program: Command, ctx: CliContext): void {
  const command = program
    .command("decide")
    .description("decide the offers and messages for one customer, with the reason for every item")
    .requiredOption("-p, --profile <file>", "customer profile as a JSON file")
    .option("-d, --date <YYYY-MM-DD>", "run date (default: the statement date of the profile)");
  withEngineFlags(command, ["catalogue"])
    .option("--explain", "print a table of every item and why it was or was not chosen, instead of JSON")
    .option(
      "-a, --archive [url]",
      "decide on the customer's history in this archive (default: $OMNIDOC_ARCHIVE or the embedded one); without it, on the profile alone",
    )
    .action(async (flags: DecideFlags) => {
      const profile = readProfileFile(flags.profile);
      const runDate = parseDate(flags.date) ?? profile.account.statementDate;
      const file = flags.catalogue ? resolve(flags.catalogue) : resolve(PACKAGE_ROOT, "samples/catalogue.yaml");
      const catalogue = loadCatalogue(nodeWorld(PACKAGE_ROOT), file);
      if (!catalogue.ok) throw new ProblemError(catalogue.problems);
      const history = flags.archive ? await historyIn(flags.archive, profile.id, runDate) : NO_HISTORY;
      const decision = decide(catalogue.value, profile, { runDate, history });
      ctx.io.stdout.write(
        flags.explain ? explainDecision(catalogue.value, decision) : `${JSON.stringify(decision, null, 2)}\n`,
      );
    });
}

/** The customer's history up to the run date, as the API reads it for a decision. */
async function historyIn(url: string | true, customerId: string, runDate: string): Promise<CustomerHistory> {
  const opened = await openArchive(archiveUrl(url === true ? undefined : url));
  if (!opened.ok) throw new ProblemError(opened.problems);
  try {
    return (await opened.value.histories([customerId], runDate)).get(customerId) ?? NO_HISTORY;
  } finally {
    await opened.value.close();
  }
}
