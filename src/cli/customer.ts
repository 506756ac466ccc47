import type { Command } from "commander";
import { type ArchivedDocument, type AuditEntry, archiveUrl, openArchive } from "../archive/index.ts";
import { ProblemError } from "../core/index.ts";
import type { CustomerInteraction } from "../interactions/index.ts";
import type { CliContext } from "./context.ts";
import { CliError, EXIT } from "./errors.ts";

/**
 * `omnidoc customer C0000001`: the single customer view, every document the customer was sent and every
 * interaction they had with another system, each newest first; with `--audit`, which API key read or wrote them.
 */
export function registerCustomer(program: Command, ctx: CliContext): void {
  program
    .command("customer")
    .description("list every archived document and interaction of one customer, all channels, newest first")
    .argument("<id>", "customer id, e.g. C0000001")
    .option(
      "-a, --archive <url>",
      "archive: sqlite:PATH or postgres://… (default: $OMNIDOC_ARCHIVE or the embedded one)",
    )
    .option("-n, --limit <n>", "at most this many documents and interactions (or audit entries)", "200")
    .option("--audit", "instead of the documents, which API key read or wrote them, and when")
    .action(async (id: string, flags: { archive?: string; limit: string; audit?: boolean }) => {
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1)
        throw new CliError("--limit must be a positive whole number", EXIT.usage);
      const opened = await openArchive(archiveUrl(flags.archive));
      if (!opened.ok) throw new ProblemError(opened.problems);
      const archive = opened.value;
      try {
        if (flags.audit) {
          const entries = await archive.auditTrail(id, { limit });
          ctx.io.stdout.write(
            entries.length === 0 ? `no audit entries for ${id}\n` : `${formatAuditTrail(id, entries)}\n`,
          );
          return;
        }
        const [documents, interactions] = await Promise.all([
          archive.list(id, { limit }),
          archive.interactions(id, { limit }),
        ]);
        const view = [documents.length === 0 ? `no archived documents for ${id}` : formatCustomerView(id, documents)];
        if (interactions.length > 0) view.push(formatInteractions(id, interactions));
        ctx.io.stdout.write(`${view.join("\n\n")}\n`);
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
  const count = `${documents.length} document${documents.length === 1 ? "" : "s"}`;
  return table(`${customerId}: ${count}`, header, rows, 4);
}

/** The customer's contacts with every other system; notes are left out (free text, and many lines long). */
export function formatInteractions(customerId: string, interactions: readonly CustomerInteraction[]): string {
  const header = ["date", "channel", "topic", "outcome", "source"];
  const rows = interactions.map((i) => [
    i.at.slice(0, 16).replace("T", " "),
    i.channel,
    i.topic,
    i.outcome ?? "-",
    `${i.source} ${i.sourceId}`,
  ]);
  const count = `${interactions.length} interaction${interactions.length === 1 ? "" : "s"}`;
  return table(`${customerId}: ${count}`, header, rows);
}

/** Who read or wrote the customer's documents, newest first, for an auditor. */
export function formatAuditTrail(customerId: string, entries: readonly AuditEntry[]): string {
  const header = ["time", "key", "action", "route", "document"];
  const rows = entries.map((e) => [
    e.at.slice(0, 19).replace("T", " "),
    e.keyName,
    e.action,
    e.route,
    e.documentId ?? "-",
  ]);
  const count = `${entries.length} audit entr${entries.length === 1 ? "y" : "ies"}`;
  return table(`${customerId}: ${count}`, header, rows);
}

/** A title, a header, a rule and the rows, in columns; the columns `right` (numbers) are aligned right. */
export function table(
  title: string,
  header: string[],
  rows: string[][],
  right: number | readonly number[] = [],
): string {
  const aligned = new Set([right].flat());
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (aligned.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [title, line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
