import { type Result, type SigningKeys, fail, ok, problem } from "../core/index.ts";
import { verifyDeliveryToken } from "../view/index.ts";
import type { DeliveryReport } from "./types.ts";

/** Kannel's DLR statuses: what each means for the delivery, and in words. */
const STATUSES: Readonly<Record<string, { outcome: DeliveryReport["outcome"]; words: string }>> = {
  "1": { outcome: "delivered", words: "delivered to the phone" },
  "2": { outcome: "failed", words: "not delivered to the phone" },
  "4": { outcome: "buffered", words: "buffered by the SMSC" },
  "8": { outcome: "buffered", words: "accepted by the SMSC" },
  "16": { outcome: "failed", words: "rejected by the SMSC" },
};

/**
 * A delivery report as Kannel calls omnidoc's callback with it (the query of the dlr-url the Kannel gateway
 * built): `delivery` and its token `t` are ours, `status`, `at`, `answer` and `to` Kannel's. A report whose token is
 * not ours over its delivery id is refused, so nobody but the gateway can mark a text delivered or failed.
 */
export function parseKannelDlr(query: URLSearchParams, keys: SigningKeys): Result<DeliveryReport> {
  const invalid = (message: string) => fail<DeliveryReport>(problem("OMD_SMS_DLR_INVALID", message, "dlr"));
  const deliveryId = query.get("delivery");
  const token = query.get("t");
  if (!deliveryId || !token) return invalid("the report names no delivery, or carries no token");
  if (!verifyDeliveryToken(token, deliveryId, keys))
    return invalid("the report's token does not match its delivery, or names no key this side holds");
  const status = query.get("status") ?? "";
  const meaning = STATUSES[status];
  if (!meaning) return invalid(`the report's status "${status}" is none of Kannel's (1, 2, 4, 8, 16)`);
  const seconds = Number(query.get("at"));
  if (!Number.isSafeInteger(seconds) || seconds <= 0) return invalid("the report's time is not unix seconds");
  const answer = query.get("answer");
  const report: DeliveryReport = {
    deliveryId,
    gateway: "kannel",
    outcome: meaning.outcome,
    at: new Date(seconds * 1000).toISOString(),
    status,
    detail: answer ? `${meaning.words}: ${answer}` : meaning.words,
  };
  const to = query.get("to");
  if (to) report.recipient = to;
  return ok(report);
}
