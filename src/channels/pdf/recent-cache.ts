/**
 * A bounded cache that keeps what was used recently, for look-ups made thousands of times a statement (each
 * word a statement measures and paints). An entry lives in the young generation until it holds half of
 * `max`; then the young become the old and the old are dropped, so an entry survives while it is used at
 * least once every `max / 2` insertions, and a hit in the old generation brings it back into the young.
 * A hit costs one Map look-up (lru-cache's `get` keeps a recency list and an options object a call: a
 * twentieth of a statement). At most `max` entries are held.
 */
export class RecentCache<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();
  private readonly generation: number;

  constructor(max: number) {
    this.generation = Math.max(1, Math.floor(max / 2));
  }

  get(key: K): V | undefined {
    const value = this.young.get(key);
    if (value !== undefined) return value;
    const kept = this.old.get(key);
    if (kept !== undefined) this.set(key, kept);
    return kept;
  }

  set(key: K, value: V): void {
    this.young.set(key, value);
    if (this.young.size < this.generation) return;
    this.old = this.young;
    this.young = new Map();
  }

  /** Entries held, an entry in both generations counted once a generation. */
  get size(): number {
    return this.young.size + this.old.size;
  }
}
