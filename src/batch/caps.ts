import type { Catalogue } from "../decide/index.ts";

/**
 * Offer caps of one run, counted in input order by the main thread as it decides each record before handing
 * it to a worker. The worker receives the set of items capped at that point and its decision agrees, so
 * which customers get a capped offer never depends on the number of workers or on which finishes first.
 */
export class CapLedger {
  private readonly limits: ReadonlyMap<string, number>;
  private readonly used = new Map<string, number>();
  private readonly refused = new Map<string, number>();
  private readonly full = new Set<string>();

  constructor(catalogue: Pick<Catalogue, "items">) {
    this.limits = new Map(catalogue.items.flatMap((i) => (i.cap === undefined ? [] : [[i.id, i.cap] as const])));
    for (const [id, cap] of this.limits) if (cap <= 0) this.full.add(id);
  }

  /** Items whose cap is used up: what the next decision must leave out. */
  get capped(): ReadonlySet<string> {
    return this.full;
  }

  /** Counts one decided record: the items it chose and the capped items it would have had. */
  count(offers: readonly string[], capped: readonly string[]): void {
    for (const id of offers) {
      const cap = this.limits.get(id);
      if (cap === undefined) continue;
      const n = (this.used.get(id) ?? 0) + 1;
      this.used.set(id, n);
      if (n >= cap) this.full.add(id);
    }
    for (const id of capped) this.refused.set(id, (this.refused.get(id) ?? 0) + 1);
  }

  /** Per capped item: its cap, how many customers got it, how many more would have. */
  report(): Record<string, { cap: number; used: number; refused: number }> {
    const out: Record<string, { cap: number; used: number; refused: number }> = {};
    for (const [id, cap] of [...this.limits].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      out[id] = { cap, used: this.used.get(id) ?? 0, refused: this.refused.get(id) ?? 0 };
    return out;
  }
}
