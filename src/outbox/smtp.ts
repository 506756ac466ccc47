import nodemailer from "nodemailer";
import { type Result, fail, ok, problem } from "../core/index.ts";

export interface SentMail {
  messageId?: string;
  /** The server's final reply, e.g. `250 OK: queued`. */
  response: string;
  accepted: string[];
}

/** Sends finished messages: the .eml bytes go to the server as they are, so what was stored is what is sent. */
export interface SmtpOutbox {
  send(message: { eml: Uint8Array; to: string }): Promise<Result<SentMail>>;
  close(): void;
}

/**
 * An SMTP outbox configured by URL (`smtp://user:pass@host:587`, `smtps://host:465`; nodemailer's query
 * options such as `?pool=true` apply). `envelopeFrom` is the bounce address (MAIL FROM), usually not the
 * From header. Failures come back as OMD_EMAIL_SEND problems, never as exceptions.
 */
export function smtpOutbox(url: string, envelopeFrom: string): SmtpOutbox {
  const transport = nodemailer.createTransport(url);
  return {
    async send({ eml, to }) {
      try {
        const info = await transport.sendMail({
          envelope: { from: envelopeFrom, to: [to] },
          raw: Buffer.from(eml.buffer, eml.byteOffset, eml.byteLength),
        });
        return ok({
          messageId: info.messageId,
          response: info.response,
          accepted: info.accepted.map((a: string | { address: string }) => (typeof a === "string" ? a : a.address)),
        });
      } catch (e) {
        return fail(problem("OMD_EMAIL_SEND", `sending to ${to} failed: ${(e as Error).message}`, redact(url)));
      }
    },
    close: () => transport.close(),
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
