import nodemailer from "nodemailer";
import { type SigningKeys, problem } from "../core/index.ts";
import { headerOf, messageIdIn } from "./fields.ts";
import type { Gateway, OutgoingEmail, SendOutcome } from "./types.ts";
import { bounceAddress, signedDeliveryId } from "./verp.ts";

export interface SmtpGatewayOptions {
  /** `smtp://user:pass@host:587`, `smtps://host:465`; nodemailer's query options such as `?pool=true` apply. */
  url: string;
  /** The domain of the bounce addresses (`bounces+<deliveryId>@<bounceDomain>`), whose mail reaches the bounce server. */
  bounceDomain: string;
  /** Tags each bounce address and envelope id (the tracking ring), so a forged bounce names no delivery. */
  keys: SigningKeys;
  /** Signs each message (DKIM-Signature, relaxed/relaxed). Left out when the relay signs for us. */
  dkim?: { domainName: string; keySelector: string; privateKey: string };
}

/**
 * Hands emails to an SMTP server: the .eml bytes go as they are (only a DKIM-Signature is put on top), so what
 * was archived is what is sent. The envelope sender is the delivery's bounce address; a server that speaks DSN
 * (RFC 3461) is also given the delivery id as envelope id and asked to return headers only.
 */
export function smtpGateway(options: SmtpGatewayOptions): Gateway<OutgoingEmail> {
  // Pooled: a few connections kept open and reused, instead of a TCP (and TLS) handshake per message.
  const transport = nodemailer.createTransport({ url: options.url, pool: true, maxConnections: 4, dkim: options.dkim });
  const at = redact(options.url);
  const refuse = (message: string, permanent: boolean): SendOutcome => ({
    ok: false,
    failure: { permanent, problem: problem("OMD_EMAIL_SEND", message, at) },
  });
  return {
    name: "smtp",
    channel: "email",
    async send({ deliveryId, to, eml }) {
      const signed = signedDeliveryId(deliveryId, options.keys.signing);
      const from = bounceAddress(signed, options.bounceDomain);
      if (from === undefined)
        return refuse(`delivery id ${JSON.stringify(deliveryId)} cannot be put in a bounce address`, true);
      const messageId = messageIdIn(headerOf(eml));
      if (messageId === undefined) return refuse(`the email to ${to} has no Message-ID`, true);
      try {
        const info = await transport.sendMail({
          envelope: { from, to: [to] },
          raw: Buffer.from(eml.buffer, eml.byteOffset, eml.byteLength),
          // Failures only: a "delayed" notice reads as a soft bounce, and the outbox would resend while the
          // server still tries.
          dsn: { id: signed, return: "headers", notify: ["failure"], recipient: to },
        });
        return { ok: true, value: { gateway: "smtp", gatewayId: messageId, response: info.response } };
      } catch (e) {
        // A 5xx reply is the server's final word; a 4xx, a timeout or no connection may pass.
        const code = (e as { responseCode?: number }).responseCode;
        return refuse(`sending to ${to} failed: ${(e as Error).message}`, code !== undefined && code >= 500);
      }
    },
    async close() {
      transport.close();
    },
  };
}

/** The URL without its password, fit for a problem's location. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "smtp";
  }
}
