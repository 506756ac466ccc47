import type { Profile } from "../profile/types.ts";

/** Each kind of bad record a real extract carries, in the order `badEvery` cycles through them. */
export const BAD_KINDS = [
  "not-json",
  "empty-line",
  "no-id",
  "number-as-text",
  "invalid-email",
  "wrong-type",
  "long-markup-name",
  "unknown-locale",
] as const;

export type BadKind = (typeof BAD_KINDS)[number];

/** The line a broken export would have written instead of this customer. Keys keep their order. */
export function badLine(kind: BadKind, p: Profile): string {
  switch (kind) {
    case "not-json": {
      // Cut off mid-record, as a truncated transfer leaves it.
      const whole = JSON.stringify(p);
      return whole.slice(0, Math.floor(whole.length / 2));
    }
    case "empty-line":
      return "";
    case "no-id":
      return JSON.stringify({ ...p, id: undefined });
    case "number-as-text": {
      // The balance as a spreadsheet in a decimal-comma locale writes it: "12,50".
      const text = p.account.balanceDue.toFixed(2).replace(".", ",");
      return JSON.stringify({ ...p, account: { ...p.account, balanceDue: text } });
    }
    case "invalid-email":
      return JSON.stringify({ ...p, contact: { ...p.contact, email: `${p.id.toLowerCase()}.example.com` } });
    case "wrong-type": {
      // Months keyed by name instead of a list.
      const monthly = Object.fromEntries(p.usage.monthly.map((m) => [m.month, m.value]));
      return JSON.stringify({ ...p, usage: { ...p.usage, monthly } });
    }
    case "long-markup-name":
      return JSON.stringify({
        ...p,
        name: {
          title: "",
          first: "A".repeat(5000),
          last: `<b onmouseover="alert(1)">${p.name.last}</b><script>x()</script>`,
        },
      });
    case "unknown-locale":
      return JSON.stringify({ ...p, locale: "pt-BR", currency: "BRL" });
  }
}
