import type { Command } from "commander";
import { type ArchivedDocument, archiveUrl, openArchive } from "../archive/index.ts";
import { ProblemError } from "../core/index.ts";
import type { CliContext } from "./context.ts";
import { CliError, EXIT } from "./errors.ts";

/** `omnidoc customer C0000001`: the single customer view, every document the customer was sent, newest first. */
export function registerCustomer(program: Command, ctx: CliContext): void {
  program
    .command("customer")
    .description("list every archived document of one customer, all channels, newest first")
    .argument("<id>", "customer id, e.g. C0000001")
    .option(
      "-a, --archive <url>",
      "archive: sqlite:PATH or postgres://… (default: $OMNIDOC_ARCHIVE or the embedded one)",
    )
    .option("-n, --limit <n>", "at most this many documents", "200")
    .action(async (id: string, flags: { archive?: string; limit: string }) => {
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1)
        throw new CliError("--limit must be a positive whole number", EXIT.usage);
      const opened = await openArchive(archiveUrl(flags.archive));
      if (!opened.ok) throw new ProblemError(opened.problems);
      const archive = opened.value;
      try {
        const documents = await archive.list(id, { limit });
        if (documents.length === 0) {
          ctx.io.stdout.write(`no archived documents for ${id}\n`);
          return;
        }
        ctx.io.stdout.write(`${formatCustomerView(id, documents)}\n`);
      } finally {
        await archive.close();
      }
    });
}

/** A plain-text table a contact-centre agent can read in a terminal. */
export function formatCustomerView(customerId: string, documents: readonly ArchivedDocument[]): string {
  const header = ["date", "channel", "template", "offers", "size", "document"];
  const rows = documents.map((d) => [
    d.created.slice(0, 16).replace("T", " "),
    d.channel,
    `${d.template}@${d.templateVersion}`,
    d.offerIds.length > 0 ? d.offerIds.join(", ") : "-",
    formatSize(d.size),
    d.id,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 4 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  const count = `${documents.length} document${documents.length === 1 ? "" : "s"}`;
  return [`${customerId}: ${count}`, line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join(
    "\n",
  );
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
