import type { Profile, Segment } from "../profile/types.ts";
import type { Random } from "./random.ts";

const STATEMENT_DAY = Date.UTC(2026, 10, 1);
const DAY_MS = 86_400_000;
/** How far back the extract's contact history reaches. */
const HISTORY_DAYS = 180;

const TOPICS = [
  ["billing", 24],
  ["meter-reading", 14],
  ["tariff-change", 12],
  ["complaint", 10],
  ["smart-meter", 10],
  ["outage", 10],
  ["payment-plan", 10],
  ["moving-home", 8],
] as const;

const CHANNELS = [
  ["web", 22],
  ["mobile-app", 18],
  ["call-centre", 22],
  ["chat", 14],
  ["email", 12],
  ["sms", 5],
  ["social", 4],
  ["letter", 3],
] as const;

/** How many contacts a customer had in the window: most none or one, a few many. */
const HOW_MANY = [
  [0, 35],
  [1, 30],
  [2, 17],
  [3, 10],
  [4, 5],
  [6, 3],
] as const;

/** Recent contacts across channels, newest first; customers who struggle call more and ask for payment plans. */
export function sampleInteractions(r: Random, segment: Segment, inArrears: boolean): Profile["interactions"] {
  const extra = segment === "vulnerable" || inArrears ? 1 : 0;
  const n = r.weighted(HOW_MANY) + extra;
  const days = Array.from({ length: n }, () => r.int(1, HISTORY_DAYS)).sort((a, b) => a - b);
  return days.map((ago) => ({
    date: new Date(STATEMENT_DAY - ago * DAY_MS).toISOString().slice(0, 10),
    channel: r.weighted(CHANNELS),
    topic: inArrears && r.chance(0.3) ? "payment-plan" : r.weighted(TOPICS),
  }));
}
