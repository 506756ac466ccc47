/**
 * RFC 5322-style header fields: a message's header and the field groups of a delivery-status part (RFC 3464)
 * share one syntax, `Name: value` with continuation lines that start with a space or a tab.
 */

/** One group of fields, by lower-case name; a repeated field keeps its first value. */
export type Fields = ReadonlyMap<string, string>;

/** The fields of one header block, unfolded (a line break before white space is no break). */
export function readFields(block: string): Fields {
  const fields = new Map<string, string>();
  for (const line of block.replace(/\r?\n(?=[ \t])/g, "").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!fields.has(name))
      fields.set(
        name,
        line
          .slice(colon + 1)
          .replace(/\s+/g, " ")
          .trim(),
      );
  }
  return fields;
}

/** Field groups separated by blank lines: the per-message group of a delivery-status part, then one per recipient. */
export function readFieldGroups(text: string): Fields[] {
  return text
    .split(/\r?\n[ \t]*\r?\n/)
    .filter((block) => block.trim() !== "")
    .map(readFields);
}

/** A message's header fields: everything before its first blank line. */
export function headerOf(message: Uint8Array | string): Fields {
  const text = typeof message === "string" ? message : Buffer.from(message).toString("latin1");
  const end = text.search(/\r?\n\r?\n/);
  return readFields(end < 0 ? text : text.slice(0, end));
}

/** A Message-ID without its angle brackets, as omnidoc records it: `2026-11-01.<hash>@northwind-energy.example`. */
export function messageIdIn(fields: Fields): string | undefined {
  const id = fields.get("message-id")?.replace(/^<|>$/g, "");
  return id === "" ? undefined : id;
}
