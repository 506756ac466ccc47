/**
 * Offers after they were made: which still stand for a customer now (the decisions of record against what
 * happened since), and how each fared (rates per offer, channel and variant; which variant of an experiment wins).
 *
 *   const now = offersNow(decisions, history, "2026-11-04");   // { decision, offers, withdrawn }
 *   const verdicts = experimentVerdicts(await archive.offerStats());
 */
export {
  type DecisionOfRecordSummary,
  type ItemOfRecord,
  type OfferNow,
  type OffersNow,
  type WithdrawalEvent,
  type WithdrawalReason,
  type WithdrawnOffer,
  offersNow,
} from "./now.ts";
export {
  type ExperimentVerdict,
  type OfferCounts,
  type OfferRates,
  type OfferStatsRow,
  type VariantTally,
  experimentVerdicts,
  normalCdf,
  twoProportionTest,
  withRates,
} from "./stats.ts";
