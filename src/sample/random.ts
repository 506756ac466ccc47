/**
 * The sample's only source of chance: a counter-based stream (a golden-ratio counter through the murmur3
 * finaliser), seeded per customer from the extract's seed and the customer's position. A customer is then
 * the same whatever the count, and nothing depends on the clock or Math.random.
 */
export interface Random {
  /** A number in [0, 1). */
  next(): number;
  /** A whole number from lo to hi, both included. */
  int(lo: number, hi: number): number;
  /** A number from lo up to hi. */
  between(lo: number, hi: number): number;
  chance(p: number): boolean;
  pick<T>(xs: readonly T[]): T;
  /** One of the choices, each as likely as its weight. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T;
}

const GOLDEN = 0x9e3779b9;

function mix(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export function randomStream(seed: number, index: number): Random {
  let state = mix(mix(seed) ^ mix(index + GOLDEN));
  const next = () => {
    state = (state + GOLDEN) >>> 0;
    return mix(state) / 2 ** 32;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  return {
    next,
    int,
    between: (lo, hi) => lo + next() * (hi - lo),
    chance: (p) => next() < p,
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    weighted(choices) {
      const total = choices.reduce((s, [, w]) => s + w, 0);
      let at = next() * total;
      for (const [value, w] of choices) {
        at -= w;
        if (at < 0) return value;
      }
      return choices[choices.length - 1][0];
    },
  };
}
