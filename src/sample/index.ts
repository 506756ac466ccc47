/**
 * The project's own reference extract: deterministic utility-customer profiles in the engine's profile
 * schema, one NDJSON line each, made lazily so a benchmark can stream 100,000 of them in constant memory.
 * Pure: no clock, no Math.random, no I/O. Same options, same lines.
 */
import { BAD_KINDS, badLine } from "./bad.ts";
import { sampleCustomer } from "./customer.ts";
import { MARKETS, SAMPLE_LOCALES, type SampleLocale } from "./markets.ts";

export { BAD_KINDS, type BadKind } from "./bad.ts";
export { customerId } from "./customer.ts";
export { SAMPLE_LOCALES, type SampleLocale } from "./markets.ts";

export const DEFAULT_SEED = 42;

export interface SampleOptions {
  /** How many lines, bad ones included. */
  count: number;
  /** Any 32-bit unsigned integer; DEFAULT_SEED when absent. */
  seed?: number;
  /** Every K-th line is a bad record, the kinds in the order of BAD_KINDS; 0 or absent for none. */
  badEvery?: number;
  /** Only customers of these locales (each keeps its share among them); every locale when absent. */
  locales?: readonly SampleLocale[];
}

const whole = (n: number, lo: number, hi: number) => Number.isInteger(n) && n >= lo && n <= hi;

/** The extract's lines, without line ends. A bad line takes the place of the customer it would have been. */
export function* sampleLines(options: SampleOptions): Generator<string> {
  const { count, seed = DEFAULT_SEED, badEvery = 0, locales = SAMPLE_LOCALES } = options;
  if (!whole(count, 0, Number.MAX_SAFE_INTEGER)) throw new RangeError(`count must be a whole number, not ${count}`);
  if (!whole(seed, 0, 2 ** 32 - 1)) throw new RangeError(`seed must be a 32-bit unsigned integer, not ${seed}`);
  if (!whole(badEvery, 0, Number.MAX_SAFE_INTEGER)) throw new RangeError(`badEvery must be ≥ 0, not ${badEvery}`);
  const markets = MARKETS.filter((m) => locales.includes(m.locale));
  if (markets.length === 0 || markets.length !== new Set(locales).size)
    throw new RangeError(`locales must be some of ${SAMPLE_LOCALES.join(", ")}, not ${locales.join(", ")}`);
  for (let line = 1; line <= count; line++) {
    const customer = sampleCustomer(seed, line - 1, markets);
    if (badEvery > 0 && line % badEvery === 0)
      yield badLine(BAD_KINDS[(line / badEvery - 1) % BAD_KINDS.length], customer);
    else yield JSON.stringify(customer);
  }
}
