import type { ChannelName } from "../templates/index.ts";
import type { ManifestEntry } from "./types.ts";

/**
 * Control totals of a run, added up from manifest entries: a resumed run replays the entries it finds and
 * ends with the same totals as a run that never stopped. Beside them, the extract's side is counted from the
 * records as they are read (a resume reads the records it skips again), never from the journal: the run
 * reconciles only when both sides agree on the records and on the balances due. Money adds as big integers of the minor unit:
 * exact whatever the number of records (a million balances near the schema's bound pass 2^53 pence).
 */
export class RunTotals {
  read = 0;
  composed = 0;
  skipped = 0;
  rejected = 0;
  pages = 0;
  readonly documents: Record<ChannelName, number> = { pdf: 0, email: 0, sms: 0 };
  readonly print = { statements: 0, pages: 0 };
  private readonly rejectsByCode = new Map<string, number>();
  private readonly skippedByReason = new Map<string, number>();
  private readonly channelProblemsByCode = new Map<string, number>();
  private readonly balanceDueMinor = new Map<string, bigint>();
  private readonly journalBalance = new Map<string, bigint>();
  private extractRecords = 0;
  private readonly extractBalance = new Map<string, bigint>();

  /** One record read from the extract, with its balance when its profile is valid. */
  readRecord(balance: { currency: string; balanceDueMinor: number } | undefined): void {
    this.extractRecords++;
    if (balance) add(this.extractBalance, balance.currency, BigInt(balance.balanceDueMinor));
  }
  private readonly offers = new Map<string, number>();

  add(entry: ManifestEntry): void {
    this.read++;
    if (entry.currency !== undefined && entry.balanceDueMinor !== undefined)
      add(this.journalBalance, entry.currency, BigInt(entry.balanceDueMinor));
    if (entry.status === "rejected") {
      this.rejected++;
      for (const p of entry.problems) bump(this.rejectsByCode, p.code);
      return;
    }
    if (entry.status === "skipped") {
      this.skipped++;
      bump(this.skippedByReason, entry.reason ?? "");
      return;
    }
    this.composed++;
    for (const p of entry.problems) bump(this.channelProblemsByCode, p.code);
    for (const c of entry.channels) this.documents[c]++;
    this.pages += entry.pages;
    if (entry.print) {
      this.print.statements++;
      this.print.pages += entry.pages;
    }
    if (entry.currency !== undefined && entry.balanceDueMinor !== undefined)
      add(this.balanceDueMinor, entry.currency, BigInt(entry.balanceDueMinor));
    for (const id of entry.offers) bump(this.offers, id);
  }

  /** The deterministic part of `summary.json`: equal for equal input, run date and options. */
  totals() {
    const control = {
      /** Summed from the extract's records as read: every record, and the balance of every valid one. */
      extract: { records: this.extractRecords, balanceDue: decimals(this.extractBalance) },
      /** Summed from the journal's entries: the same quantities, as the manifest holds them. */
      journal: { records: this.read, balanceDue: decimals(this.journalBalance) },
    };
    return {
      records: { read: this.read, composed: this.composed, skipped: this.skipped, rejected: this.rejected },
      reconciles:
        this.read === this.composed + this.skipped + this.rejected &&
        control.extract.records === control.journal.records &&
        JSON.stringify(control.extract.balanceDue) === JSON.stringify(control.journal.balanceDue),
      control,
      /** Customers outside the template's audience, by the reason of the rule they missed. */
      skippedByReason: sorted(this.skippedByReason),
      rejectsByCode: sorted(this.rejectsByCode),
      channelProblemsByCode: sorted(this.channelProblemsByCode),
      /** Of the composed statements. */
      balanceDue: decimals(this.balanceDueMinor),
      documents: { ...this.documents },
      pages: this.pages,
      print: { ...this.print },
      offers: sorted(this.offers),
    };
  }
}

function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

function add(map: Map<string, bigint>, key: string, by: bigint): void {
  map.set(key, (map.get(key) ?? 0n) + by);
}

function sortedEntries<T>(map: Map<string, T>): [string, T][] {
  return [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Minor units by currency as exact decimal strings, currencies in order. */
function decimals(map: Map<string, bigint>): Record<string, string> {
  return Object.fromEntries(sortedEntries(map).map(([cur, minor]) => [cur, fromMinor(minor, cur)]));
}

function sorted(map: Map<string, number>): Record<string, number> {
  return Object.fromEntries(sortedEntries(map));
}

/**
 * Minor-unit digits by currency, kept for the process: a pure function of the currency code and the
 * process's ICU data, the same for every run and engine; one entry a currency.
 */
const digitsCache = new Map<string, number>();

function minorDigits(currency: string): number {
  let d = digitsCache.get(currency);
  if (d === undefined) {
    d = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsCache.set(currency, d);
  }
  return d;
}

/**
 * An amount in the currency's minor unit (pence, cents). The profile schema bounds amounts in size and decimal
 * places, so the result is an exact safe integer; anything else reaching here is a bug, not data.
 */
export function toMinor(amount: number, currency: string): number {
  const scale = 10 ** minorDigits(currency);
  const minor = Math.round(amount * scale);
  if (!Number.isSafeInteger(minor) || minor / scale !== amount)
    throw new Error(`${amount} ${currency} is not a whole number of minor units: the schema should have refused it`);
  return minor;
}

/** Back to a decimal string, exact: `-1234.50`. */
export function fromMinor(minor: bigint | number, currency: string): string {
  const d = minorDigits(currency);
  const n = BigInt(minor);
  if (d === 0) return String(n);
  const abs = String(n < 0n ? -n : n).padStart(d + 1, "0");
  return `${n < 0n ? "-" : ""}${abs.slice(0, -d)}.${abs.slice(-d)}`;
}
