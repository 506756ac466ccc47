/**
 * Labels are plain strings from the template's locale files; a label may carry named placeholders
 * (`Page {page} of {pages}`), filled here so every channel fills them the same way.
 */
export function fillLabel(label: string, values: Record<string, string | number>): string {
  return label.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** The label for `key`, or the key itself so a missing translation shows up in proofs instead of vanishing. */
export function labelOf(labels: Record<string, string>, key: string, values?: Record<string, string | number>): string {
  const label = labels[key] ?? key;
  return values ? fillLabel(label, values) : label;
}
