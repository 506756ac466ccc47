/** Writes profiles as a CSV extract with dotted headers, the shape a CSV billing extract has. */
export function profilesToCsv(records: readonly unknown[]): string {
  const rows = records.map((r) => flatten(r, "", new Map<string, string>()));
  const headers: string[] = [];
  const known = new Set<string>();
  for (const row of rows)
    for (const k of row.keys())
      if (!known.has(k)) {
        known.add(k);
        headers.push(k);
      }
  const lines = [headers.map(quote).join(",")];
  for (const row of rows) lines.push(headers.map((h) => quote(row.get(h) ?? "")).join(","));
  return `${lines.join("\n")}\n`;
}

function flatten(value: unknown, prefix: string, into: Map<string, string>): Map<string, string> {
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== "object")) {
    into.set(prefix, value.join("|"));
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, into);
  } else {
    into.set(prefix, String(value));
  }
  return into;
}

function quote(cell: string): string {
  return /[",\n\r]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}
