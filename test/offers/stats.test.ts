import { describe, expect, it } from "vitest";
import {
  type OfferCounts,
  experimentVerdicts,
  normalCdf,
  twoProportionTest,
  withRates,
} from "../../src/offers/index.ts";

const counts = (over: Partial<OfferCounts>): OfferCounts => ({
  offerId: "ev-tariff",
  channel: "email",
  sent: 0,
  clicked: 0,
  accepted: 0,
  declined: 0,
  notNow: 0,
  ...over,
});

describe("offer statistics", () => {
  it("gives each count as a rate of documents sent, none where nothing was sent", () => {
    const [sent, unsent] = withRates([
      counts({ sent: 200, clicked: 50, accepted: 10, declined: 4, notNow: 2 }),
      counts({ channel: null, accepted: 3 }),
    ]);
    expect(sent.rates).toEqual({ clicked: 0.25, accepted: 0.05, declined: 0.02, notNow: 0.01 });
    expect(unsent.rates).toEqual({ clicked: null, accepted: null, declined: null, notNow: null });
  });

  it("matches the normal distribution's known values", () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 6);
  });

  it("computes the pooled two-proportion z-test as a textbook does, and refuses counts too small for it", () => {
    // 120/1000 against 90/1000: pooled 0.105, z = 0.03 / sqrt(0.105 * 0.895 * 0.002) = 2.1883
    const t = twoProportionTest(120, 1000, 90, 1000);
    expect(t?.z).toBeCloseTo(2.1883, 3);
    expect(t?.pValue).toBeCloseTo(0.0286, 3);
    expect(twoProportionTest(3, 40, 1, 40)).toBeUndefined();
    expect(twoProportionTest(1, 0, 1, 10)).toBeUndefined();
  });

  it("says per experiment which variant wins on acceptance over every channel, or that it cannot tell yet", () => {
    const ab = (variant: string, channel: string, sent: number, accepted: number) =>
      counts({ experiment: { id: "ev-headline", variant }, channel, sent, accepted });
    const [clear] = experimentVerdicts([
      ab("A", "email", 600, 40),
      ab("A", "pdf", 400, 50),
      ab("B", "email", 600, 70),
      ab("B", "pdf", 400, 50),
      counts({ offerId: "solar-export", sent: 100, accepted: 50 }),
    ]);
    expect(clear).toEqual({
      experimentId: "ev-headline",
      offerId: "ev-tariff",
      variants: [
        { variant: "B", sent: 1000, accepted: 120, acceptanceRate: 0.12 },
        { variant: "A", sent: 1000, accepted: 90, acceptanceRate: 0.09 },
      ],
      verdict: "wins",
      winner: "B",
      pValue: expect.closeTo(0.0286, 3),
    });

    const [close] = experimentVerdicts([ab("A", "email", 1000, 100), ab("B", "email", 1000, 104)]);
    expect(close).toMatchObject({ verdict: "no-difference", pValue: expect.closeTo(0.77, 2) });
    expect(close.winner).toBeUndefined();

    const [small] = experimentVerdicts([ab("A", "email", 30, 4), ab("B", "email", 30, 1)]);
    expect(small).toMatchObject({ verdict: "too-few", variants: [{ variant: "A" }, { variant: "B" }] });
    expect(experimentVerdicts([ab("A", "email", 1000, 100)])[0].verdict).toBe("too-few");
  });
});
