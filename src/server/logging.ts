import type { FastifyReply, FastifyRequest } from "fastify";
import type { DestinationStream, LoggerOptions } from "pino";

/**
 * Logs by allow-list: a line keeps only the fields named here, at every level, debug included, whatever a caller
 * passes. Each is a value the server made itself (a route pattern, a status, a problem code, a key's NAME, an id
 * it generated) and none can hold what a caller sent: no URL, query string, header or body is ever logged.
 * Add a field only if no value of it can be personal data or a secret.
 */
const SAFE_FIELDS = new Set([
  // One line a request (requestLine).
  "method",
  "route",
  "status",
  "ms",
  "key",
  "problems",
  // An error: its type, code and stack frames (errorFields), never its message.
  "err",
  // A document archived: the server's ids, never the customer's.
  "documentId",
  "template",
  "channel",
  // Start-up: the archive URL without credentials, and how many keys were loaded.
  "archive",
  "keys",
  // Production mode: the release each template composes with (content hashes).
  "releases",
  // Refusals under load, as a rate (refusals.ts), and what a start-up sweep removed.
  "refused",
  "intervalMs",
  "swept",
  // Events and their messages: counts, the event type, the outbox's delivery ids and states.
  "events",
  "accepted",
  "event",
  "deliveryId",
  "state",
  "outcome",
  // The port bounces are taken on.
  "port",
]);

/** What a log line says about a request: enough to count, time and trace it, nothing the caller wrote. */
export interface RequestLine {
  method: string;
  /** The route's pattern (`/v1/customers/:id/documents`), never the URL with its values. */
  route: string | null;
  status: number;
  ms: number;
  /** The name of the API key that was accepted, never the key. */
  key?: string;
  /** Codes of the problems answered, for errors. */
  problems?: string[];
}

declare module "fastify" {
  interface FastifyRequest {
    /** Codes of the problems the request was answered with (set by the error handler), for its log line. */
    problemCodes?: string[];
  }
}

export function requestLine(request: FastifyRequest, reply: FastifyReply): RequestLine {
  return {
    method: request.method,
    route: request.routeOptions.url ?? null,
    status: reply.statusCode,
    ms: Math.round(reply.elapsedTime * 10) / 10,
    ...(request.apiKey && { key: request.apiKey.name }),
    ...(request.problemCodes && { problems: request.problemCodes }),
  };
}

const CODE = /^[A-Z0-9][A-Z0-9_]{1,63}$/;

/** An error without its message (messages quote values: SQL, a parser's input): its type, code and frames. */
function errorFields(err: Error & { code?: unknown }) {
  return {
    type: err.name,
    ...(typeof err.code === "string" && CODE.test(err.code) && { code: err.code }),
    frames: (err.stack ?? "")
      .split("\n")
      .filter((line) => /^\s+at /.test(line))
      .map((line) => line.trim()),
  };
}

const CENSOR = "[redacted]";
/** Emails, plain or percent-encoded (`%40`), and international phone numbers (`+`, `%2B`). */
const EMAIL = /[^\s@/?&=%"]+(?:@|%40)[^\s@/?&=%"]+\.[A-Za-z]{2,}/gi;
const PHONE = /(?:\+|%2B)\d{7,15}\b/gi;
const QUERY = /\?[^\s"]*/g;
const API_KEY = /\bomd_[A-Za-z0-9_-]{16,}/g;

/**
 * The message is the one free-text field. The server's own messages are constants; the few Fastify writes that
 * quote a URL (a reply sent twice) lose its query string, and anything shaped like an email, a phone number or
 * a key is censored on top.
 */
export function scrub(text: string): string {
  return text.replace(QUERY, `?${CENSOR}`).replace(API_KEY, CENSOR).replace(EMAIL, CENSOR).replace(PHONE, CENSOR);
}

export interface LogOptions {
  level?: string;
  /** Where lines go (standard output when absent); tests capture them here. */
  stream?: DestinationStream;
}

/** pino as Fastify uses it: JSON lines of allow-listed fields only. */
export function loggerOptions(o: LogOptions): LoggerOptions & { stream?: DestinationStream } {
  return {
    level: o.level ?? "info",
    formatters: {
      log: (fields) => Object.fromEntries(Object.entries(fields).filter(([name]) => SAFE_FIELDS.has(name))),
    },
    serializers: {
      err: errorFields,
      msg: (msg: unknown) => (typeof msg === "string" ? scrub(msg) : msg),
    },
    hooks: {
      // pino makes an error's message the line's message, and formats `%s` arguments into it: neither may
      // carry what a caller sent, so an error's line is named by its type and extra arguments are dropped.
      logMethod(args, method) {
        const [first, second] = args as unknown[];
        if (first instanceof Error)
          return method.call(this, { err: first }, typeof second === "string" ? second : first.name);
        if (typeof first === "object" && first !== null) {
          const err = (first as { err?: unknown }).err;
          const msg = typeof second === "string" ? second : err instanceof Error ? err.name : undefined;
          return msg === undefined ? method.call(this, first) : method.call(this, first, msg);
        }
        return method.call(this, String(first));
      },
    },
    ...(o.stream && { stream: o.stream }),
  };
}
