import { type Problem, type SigningKeys, problem } from "../core/index.ts";
import { countSegments } from "../channels/sms/index.ts";
import { deliveryToken } from "../view/index.ts";
import type { Gateway, OutgoingSms, SendOutcome } from "./types.ts";

/**
 * Texts through Kannel's HTTP sendsms interface (smsbox's `sendsms-port`). Kannel answers a hand-over with no id
 * of its own, so a message is named by our delivery id, and its delivery reports come back to omnidoc's callback
 * route with that id and a token over it (see dlr.ts).
 */

export interface KannelOptions {
  /** smsbox's sendsms base, `http://kannel.internal:13013`. */
  url: string;
  /** A `sendsms-user` of kannel.conf; its `max-messages` must be at least `maxSegments`, else Kannel truncates. */
  username: string;
  password: string;
  /** The sender the phone shows: a short code, a number or an alphanumeric name. */
  from: string;
  /** omnidoc's delivery-report route, `https://omnidoc.example/dlr/kannel`: Kannel calls it for every report. */
  dlrUrl: string;
  /** Signs the callback's token: the tracking ring. */
  keys: SigningKeys;
  /** The provider's cap on segments per message: a longer text is refused before it costs anything. */
  maxSegments: number;
  /** How long one hand-over may take, ms; past it the outcome is unknown and counts as temporary. */
  timeoutMs?: number;
}

/**
 * The reports that change something: delivered (1), not delivered (2), SMSC rejected (16). Buffered (4) and SMSC
 * accepted (8) would each cost a callback per text and say only that it is on its way.
 */
const DLR_MASK = 1 | 2 | 16;
/** GSM 03.38 default alphabet and UCS-2, Kannel's `coding` values. */
const CODING = { "GSM-7": 0, "UCS-2": 2 } as const;

/**
 * Kannel's escapes in the callback: the report's status, its time (unix seconds), the SMSC's answer and the
 * phone number. Kannel substitutes every `%X` of a dlr-url, so what we put there ourselves doubles its `%`.
 */
const DLR_ESCAPES = "status=%d&at=%T&answer=%A&to=%p";

export function kannelGateway(options: KannelOptions): Gateway<OutgoingSms> {
  const sendsms = `${options.url.replace(/\/+$/, "")}/cgi-bin/sendsms`;
  const refused = (permanent: boolean, p: Problem): SendOutcome => ({ ok: false, failure: { permanent, problem: p } });
  const sendProblem = (to: string, why: string) => problem("OMD_SMS_SEND", `sending to ${to} failed: ${why}`, sendsms);

  return {
    name: "kannel",
    channel: "sms",
    async send(message) {
      const { encoding, units, segments } = countSegments(message.text);
      if (segments > options.maxSegments)
        return refused(
          true,
          problem(
            "OMD_SMS_OVER_CAP",
            `the text takes ${segments} segments (${units} ${encoding === "GSM-7" ? "septets" : "UCS-2 units"}); the provider takes at most ${options.maxSegments}`,
            message.deliveryId,
            "shorten the template's optional parts or lower its segment budget",
          ),
        );
      const query = new URLSearchParams({
        username: options.username,
        password: options.password,
        from: options.from,
        to: message.to,
        text: message.text,
        coding: String(CODING[encoding]),
        charset: "UTF-8",
        "dlr-mask": String(DLR_MASK),
        "dlr-url": dlrUrlFor(options, message.deliveryId),
      });
      let status: number;
      let answer: string;
      try {
        const signal = AbortSignal.timeout(options.timeoutMs ?? 10_000);
        const response = await fetch(`${sendsms}?${query}`, { signal });
        status = response.status;
        answer = (await response.text()).trim();
      } catch (e) {
        // A refused connection never reached Kannel; after a timeout or a reset, whether Kannel took the text is
        // unknown, and sending it again could send it twice.
        const err = e as Error & { cause?: { code?: string } };
        const code = err.cause?.code ?? err.name;
        return {
          ok: false,
          failure: { permanent: false, maybeSent: !NEVER_REACHED.has(code), problem: sendProblem(message.to, code) },
        };
      }
      // 202 with `0: Accepted for delivery`, or `3: Queued for later delivery` while no SMSC is connected.
      if (status === 202)
        return { ok: true, value: { gateway: "kannel", gatewayId: message.deliveryId, response: answer } };
      // 4xx: wrong credentials, a missing or refused field; the same request will fail again. 5xx: Kannel's
      // `Temporal failure, try again later`, or a proxy in front of it.
      const permanent = status >= 400 && status < 500;
      return refused(permanent, sendProblem(message.to, `Kannel answered ${status} ${answer}`));
    },
    // Each hand-over is one request: nothing stays open.
    close: async () => {},
  };
}

/** Connection errors that say the request never reached the gateway. */
const NEVER_REACHED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/** The callback for one delivery: its id and token, then Kannel's escapes. */
function dlrUrlFor(options: KannelOptions, deliveryId: string): string {
  // `t`, not `token`: the server refuses credential-looking query names before any route reads them.
  const ours = new URLSearchParams({ delivery: deliveryId, t: deliveryToken(deliveryId, options.keys.signing) });
  const base = `${options.dlrUrl}${options.dlrUrl.includes("?") ? "&" : "?"}${ours}`;
  return `${base.replaceAll("%", "%%")}&${DLR_ESCAPES}`;
}
