import { simpleParser } from "mailparser";
import { type Result, fail, ok, problem } from "../core/index.ts";
import { type Fields, headerOf, messageIdIn, readFieldGroups } from "./fields.ts";
import type { DeliveryReport } from "./types.ts";
import { deliveryIdOf, isDeliveryId } from "./verp.ts";

/** The parts of a report that carry the returned message, whole or its header only. */
const RETURNED = new Set(["message/rfc822", "text/rfc822-headers", "message/global", "message/global-headers"]);
const STATUS = new Set(["message/delivery-status", "message/global-delivery-status"]);

/**
 * The delivery reports of a delivery status notification (RFC 3464): one per recipient group of its
 * message/delivery-status part. The delivery comes from the bounce address it was sent to (`envelopeTo`), else
 * from the envelope id the gateway gave the server; the returned message's Message-ID names it as well.
 */
export async function readBounce(raw: Uint8Array, envelopeTo?: string): Promise<Result<DeliveryReport[]>> {
  const notDsn = (why: string) =>
    fail<DeliveryReport[]>(
      problem("OMD_BOUNCE_NOT_DSN", `the message is not a delivery status notification: ${why}`, envelopeTo),
    );
  const mail = await simpleParser(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), {
    keepDeliveryStatus: true,
  });
  const type = mail.headers.get("content-type") as { value?: string; params?: Record<string, string> } | undefined;
  if (type?.value !== "multipart/report" || type.params?.["report-type"]?.toLowerCase() !== "delivery-status")
    return notDsn(`its type is ${type?.value ?? "text/plain"}, not multipart/report; report-type=delivery-status`);
  const status = mail.attachments.find((a) => STATUS.has(a.contentType));
  if (status === undefined) return notDsn("it has no message/delivery-status part");

  const [perMessage, ...perRecipient] = readFieldGroups(status.content.toString("utf8"));
  const returned = mail.attachments.find((a) => RETURNED.has(a.contentType));
  const gatewayId = returned && messageIdIn(headerOf(returned.content));
  const envelopeId = unxtext(perMessage?.get("original-envelope-id") ?? "");
  const deliveryId = (envelopeTo && deliveryIdOf(envelopeTo)) || (isDeliveryId(envelopeId) ? envelopeId : undefined);
  const sent = (mail.date ?? new Date()).toISOString();

  const reports: DeliveryReport[] = [];
  for (const group of perRecipient) {
    const outcome = outcomeOf(group);
    if (outcome === undefined) continue;
    const code = /\b[245]\.\d{1,3}\.\d{1,3}\b/.exec(group.get("status") ?? "")?.[0];
    const report: DeliveryReport = {
      gateway: "smtp",
      outcome,
      at: dateOf(group.get("last-attempt-date")) ?? sent,
      detail: afterType(group.get("diagnostic-code")) ?? group.get("status") ?? group.get("action") ?? "",
    };
    if (deliveryId) report.deliveryId = deliveryId;
    if (gatewayId) report.gatewayId = gatewayId;
    if (code) report.status = code;
    const recipient = afterType(group.get("final-recipient"));
    if (recipient) report.recipient = recipient;
    reports.push(report);
  }
  return reports.length > 0 ? ok(reports) : notDsn("its delivery-status part has no recipient with an action");
}

/**
 * A permanent failure (5.x.x) is a hard bounce, a temporary one (4.x.x) a soft bounce; a delay is the remote
 * server still trying (buffered). Delivered, relayed (to a system that sends no DSN) and expanded (into a list)
 * all mean the message went on its way.
 */
function outcomeOf(group: Fields): DeliveryReport["outcome"] | undefined {
  switch (group.get("action")?.toLowerCase()) {
    case "failed":
      return group.get("status")?.startsWith("4.") ? "soft-bounce" : "hard-bounce";
    case "delayed":
      // The remote server is still trying: resending now would make two.
      return "buffered";
    case "delivered":
    case "relayed":
    case "expanded":
      return "delivered";
    default:
      return undefined;
  }
}

/** `rfc822; a@example.com` → `a@example.com`; `smtp; 550 user unknown` → `550 user unknown`. */
function afterType(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const semicolon = value.indexOf(";");
  return value.slice(semicolon + 1).trim() || undefined;
}

function dateOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The envelope id is xtext (RFC 3461): `+2B` is `+`. */
function unxtext(value: string): string {
  return value.replace(/\+([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}
