/**
 * How offers fare: rates per offer, channel and A/B variant from the archive's counts, and per experiment which
 * variant wins on acceptance rate, with a two-proportion z-test to say when the counts are too small to tell.
 */

/** The archive's counts for one offer in one channel and variant (the fields this reads). */
export interface OfferCounts {
  offerId: string;
  /** Null for responses whose reporting system named no channel. */
  channel: string | null;
  experiment?: { id: string; variant: string };
  sent: number;
  clicked: number;
  accepted: number;
  declined: number;
  notNow: number;
}

/** Each count over `sent`; null when nothing was sent (responses with no channel named). */
export interface OfferRates {
  clicked: number | null;
  accepted: number | null;
  declined: number | null;
  notNow: number | null;
}

export type OfferStatsRow = OfferCounts & { rates: OfferRates };

/** One variant of an experiment over every channel: documents sent, and how many were accepted. */
export interface VariantTally {
  variant: string;
  sent: number;
  accepted: number;
  /** accepted / sent, null with nothing sent. */
  acceptanceRate: number | null;
}

export interface ExperimentVerdict {
  experimentId: string;
  offerId: string;
  /** Best acceptance rate first. */
  variants: VariantTally[];
  /**
   * `wins`: the best variant's rate beats the runner-up's at the 5% level; `no-difference`: enough counts, and
   * no significant difference; `too-few`: too few documents or acceptances for the test to mean anything.
   */
  verdict: "wins" | "no-difference" | "too-few";
  /** The best variant, when it wins. */
  winner?: string;
  /** The two-sided p-value of best against runner-up, when the counts allow the test. */
  pValue?: number;
}

/** The z-test's normal approximation needs at least this many successes and failures in each group. */
const MIN_EXPECTED = 5;
const SIGNIFICANCE = 0.05;

const rate = (n: number, sent: number) => (sent > 0 ? n / sent : null);

export function withRates(rows: readonly OfferCounts[]): OfferStatsRow[] {
  return rows.map((r) => ({
    ...r,
    rates: {
      clicked: rate(r.clicked, r.sent),
      accepted: rate(r.accepted, r.sent),
      declined: rate(r.declined, r.sent),
      notNow: rate(r.notNow, r.sent),
    },
  }));
}

/**
 * Per experiment, the variants summed over channels and judged on acceptance rate (accepted / documents sent).
 * Responses without a channel count in their variant too: an acceptance is one wherever it was reported.
 */
export function experimentVerdicts(rows: readonly OfferCounts[]): ExperimentVerdict[] {
  const experiments = new Map<string, { offerId: string; variants: Map<string, VariantTally> }>();
  for (const r of rows) {
    if (!r.experiment) continue;
    const e = experiments.get(r.experiment.id) ?? { offerId: r.offerId, variants: new Map() };
    experiments.set(r.experiment.id, e);
    const v = e.variants.get(r.experiment.variant) ?? {
      variant: r.experiment.variant,
      sent: 0,
      accepted: 0,
      acceptanceRate: null,
    };
    v.sent += r.sent;
    v.accepted += r.accepted;
    e.variants.set(v.variant, v);
  }
  return [...experiments]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([experimentId, e]) => {
      const variants = [...e.variants.values()]
        .map((v) => ({ ...v, acceptanceRate: rate(v.accepted, v.sent) }))
        .sort((a, b) => (b.acceptanceRate ?? -1) - (a.acceptanceRate ?? -1) || (a.variant < b.variant ? -1 : 1));
      return { experimentId, offerId: e.offerId, variants, ...judge(variants) };
    });
}

function judge(variants: readonly VariantTally[]): Pick<ExperimentVerdict, "verdict" | "winner" | "pValue"> {
  const [best, next] = variants;
  if (!best || !next) return { verdict: "too-few" };
  const test = twoProportionTest(best.accepted, best.sent, next.accepted, next.sent);
  if (test === undefined) return { verdict: "too-few" };
  return test.pValue < SIGNIFICANCE
    ? { verdict: "wins", winner: best.variant, pValue: test.pValue }
    : { verdict: "no-difference", pValue: test.pValue };
}

/**
 * The pooled two-proportion z-test of x1/n1 against x2/n2: z and its two-sided p-value; undefined when a group
 * has fewer than 5 successes or failures (expected under the pooled rate), where the normal approximation fails.
 */
export function twoProportionTest(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
): { z: number; pValue: number } | undefined {
  if (n1 === 0 || n2 === 0) return undefined;
  const pooled = (x1 + x2) / (n1 + n2);
  const small = [n1, n2].some((n) => n * pooled < MIN_EXPECTED || n * (1 - pooled) < MIN_EXPECTED);
  if (small) return undefined;
  const z = (x1 / n1 - x2 / n2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  return { z, pValue: 2 * (1 - normalCdf(Math.abs(z))) };
}

/** Φ(x), the standard normal distribution function. */
export function normalCdf(x: number): number {
  return 1 - 0.5 * erfc(x / Math.SQRT2);
}

/** Numerical Recipes' erfc (Chebyshev fit), fractional error under 1.2e-7 everywhere. */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
