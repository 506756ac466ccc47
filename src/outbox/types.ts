import type { Problem } from "../core/index.ts";

/**
 * The outbox's contract with the gateways that carry messages away: an SMTP server, an SMS gateway (Kannel, or
 * another provider's HTTP API behind the same interface). A gateway hands a message over and says what it
 * answered; what happens to it afterwards comes back as a delivery report.
 */

/** A finished email: the .eml bytes as archived, sent as they are. */
export interface OutgoingEmail {
  channel: "email";
  /** The outbox's id for this delivery: carried in the bounce address, so a DSN finds it. */
  deliveryId: string;
  to: string;
  eml: Uint8Array;
}

/** A finished text: what the customer's phone shows. */
export interface OutgoingSms {
  channel: "sms";
  /** The outbox's id for this delivery: carried in the delivery-report callback, so a DLR finds it. */
  deliveryId: string;
  /** E.164, `+447700900123`. */
  to: string;
  text: string;
}

export type OutgoingMessage = OutgoingEmail | OutgoingSms;

/** What the gateway said when it took the message. */
export interface HandOver {
  /** The gateway's name, `smtp`, `kannel`. */
  gateway: string;
  /** How the gateway names the message (the Message-ID, the SMS id), for reports that name it so. */
  gatewayId: string;
  /** Its reply, `250 2.0.0 OK queued`, `0: Accepted for delivery`. */
  response: string;
}

/** A message the gateway did not take: a permanent refusal is never retried, a temporary one may be. */
export interface SendFailure {
  permanent: boolean;
  /**
   * The request went and no answer came (a timeout, a connection cut mid-answer): the gateway may have taken
   * the message, so sending it again could send it twice.
   */
  maybeSent?: boolean;
  problem: Problem;
}

export type SendOutcome = { ok: true; value: HandOver } | { ok: false; failure: SendFailure };

export interface Gateway<M extends OutgoingMessage = OutgoingMessage> {
  readonly name: string;
  readonly channel: M["channel"];
  send(message: M): Promise<SendOutcome>;
  close(): Promise<void>;
}

/**
 * What became of a message after hand-over, as the network reports it: an SMS delivery report (DLR) or an
 * email delivery status notification (RFC 3464).
 */
export interface DeliveryReport {
  /** The delivery it is about, when the report carries it (the bounce address, the DLR callback). */
  deliveryId?: string;
  gateway: string;
  /** The gateway's id of the message, when the report names it that way instead. */
  gatewayId?: string;
  /**
   * `delivered`; `buffered` (still trying, nothing to do); `soft-bounce` (temporary: retried with back-off);
   * `hard-bounce` (permanent: this address takes no more email); `failed` (an SMS that will not arrive).
   */
  outcome: "delivered" | "buffered" | "soft-bounce" | "hard-bounce" | "failed";
  /** When it happened, ISO 8601 UTC. */
  at: string;
  /** The status as the network gives it: an enhanced status code `5.1.1`, a DLR status `2`. */
  status?: string;
  /** Words for a person: the diagnostic code, the SMSC's answer. */
  detail: string;
  /** The address it is about (Final-Recipient, the mobile number). */
  recipient?: string;
}
