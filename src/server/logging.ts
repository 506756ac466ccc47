import type { DestinationStream, LoggerOptions } from "pino";

const CENSOR = "[redacted]";

/** Where personal data can sit in anything the server logs: profiles in bodies, contact details, credentials. */
const PERSONAL_FIELDS = ["name", "contact", "email", "mobile", "address", "to", "fullName", "first", "last"];
const ROOTS = ["profile", "body.profile", "req.body.profile", "customer"];
const REDACT_PATHS = [
  ...ROOTS.flatMap((root) => PERSONAL_FIELDS.map((f) => `${root}.${f}`)),
  ...PERSONAL_FIELDS.map((f) => `*.${f}`),
  "req.headers.authorization",
  'req.headers["x-api-key"]',
];

const EMAIL = /[^\s@/?&=]+@[^\s@/?&=]+\.[A-Za-z]{2,}/g;
/** International numbers as profiles carry them, with or without the +. */
const PHONE = /(?:\+|%2B)\d{7,15}\b/g;

/** Emails and phone numbers out of free text (URLs, messages), which no field path can reach. */
export function scrub(text: string): string {
  return text.replace(EMAIL, CENSOR).replace(PHONE, CENSOR);
}

export interface LogOptions {
  level?: string;
  /** Where lines go (standard output when absent); tests capture them here. */
  stream?: DestinationStream;
}

/** pino as Fastify uses it: structured JSON lines that never carry names, addresses, emails or phone numbers. */
export function loggerOptions(o: LogOptions): LoggerOptions & { stream?: DestinationStream } {
  return {
    level: o.level ?? "info",
    redact: { paths: REDACT_PATHS, censor: CENSOR },
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({ method: req.method, url: scrub(req.url) }),
      err: (err: Error) => ({ type: err.name, message: scrub(err.message), stack: err.stack && scrub(err.stack) }),
    },
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((a) => (typeof a === "string" ? scrub(a) : a));
        return method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
    ...(o.stream && { stream: o.stream }),
  };
}
