import type { Catalogue, Decision, TraceEvent } from "./types.ts";

/** One event of the history as a line of text: `declined 2026-10-20T08:00:00Z by link #r-17 (offer solar, email)`. */
export function describeEvent(e: TraceEvent): string {
  const about = [e.offerId && `offer ${e.offerId}`, e.channel].filter(Boolean).join(", ");
  return `${e.kind} ${e.at} by ${e.source}${e.sourceId ? ` #${e.sourceId}` : ""}${about ? ` (${about})` : ""}`;
}

/**
 * A table a person reads: every item in the order it was considered, whether it was chosen, and if not,
 * the rule that excluded it and why, with the event of the history that fired it. Plain text with aligned columns.
 */
export function explainDecision(catalogue: Catalogue, decision: Decision): string {
  const byId = new Map(catalogue.items.map((item) => [item.id, item]));
  const header = ["#", "slot", "item", "kind", "prio", "result", "why"];
  const rows = decision.trace.map((t, i) => {
    const item = byId.get(t.id);
    const variant = Object.values(decision.slots)
      .flat()
      .find((c) => c.id === t.id)?.experiment?.variant;
    return [
      String(i + 1),
      t.slot,
      variant ? `${t.id} [${variant}]` : t.id,
      item?.kind ?? "",
      String(item?.priority ?? ""),
      t.chosen ? "CHOSEN" : t.rule,
      t.event ? `${t.reason} [event: ${describeEvent(t.event)}]` : t.reason,
    ];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const numeric = new Set([0, 4]);
  const line = (cells: string[]) =>
    cells
      .map((cell, c) =>
        c === cells.length - 1 ? cell : numeric.has(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]),
      )
      .join("  ");
  const chosen = (["hero", "secondary", "notice"] as const)
    .map((slot) => `${slot}: ${decision.slots[slot].map((c) => c.id).join(", ") || "(empty)"}`)
    .join("\n  ");
  return [
    `Decision for ${decision.customerId} on ${decision.runDate} (language ${decision.language})`,
    `  ${chosen}`,
    "",
    line(header),
    ...rows.map(line),
    "",
  ].join("\n");
}
