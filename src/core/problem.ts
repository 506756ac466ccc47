/**
 * Problems are values, not exceptions: code that handles user data returns them and the outer ring decides
 * whether to reject a record, answer 400 or stop. Bugs in our own code still throw.
 */

/** Every code omnidoc reports, with what it means. A code is never reused for another meaning. */
export const PROBLEM_CODES = {
  OMD_INPUT_NOT_JSON: "a record or a request body is not valid JSON",
  OMD_INPUT_EMPTY: "a record line is empty",
  OMD_INPUT_CSV: "a CSV extract, its header or one of its rows cannot be read",
  OMD_PROFILE_FIELD_MISSING: "a required profile field is missing",
  OMD_PROFILE_FIELD_INVALID: "a profile field breaks a rule of the profile schema",
  OMD_PROFILE_LOCALE_UNKNOWN: "the locale or currency is not one omnidoc formats",
  OMD_INTERACTION_FIELD_MISSING: "a required field of an interaction is missing",
  OMD_INTERACTION_FIELD_INVALID: "a field of an interaction breaks a rule of the interaction schema",
  OMD_EVENT_INVALID: "a customer event is missing a field or one of its fields breaks a rule of the event schema",
  OMD_RESPONSE_FIELD_MISSING: "a required field of an offer response is missing",
  OMD_RESPONSE_FIELD_INVALID: "a field of an offer response breaks a rule of the response schema",
  OMD_RESPONSE_OFFER_UNKNOWN: "an offer response names an offer the catalogue does not hold",
  OMD_CATALOGUE_UNREADABLE: "the offer catalogue file cannot be read",
  OMD_CATALOGUE_SYNTAX: "the offer catalogue is not valid YAML or breaks a rule of its structure",
  OMD_CATALOGUE_EXPRESSION: "an eligibility expression does not parse or compile",
  OMD_CATALOGUE_UNKNOWN_FIELD: "an eligibility expression names a field the profile schema does not have",
  OMD_CATALOGUE_DUPLICATE_ID: "two catalogue items share an id",
  OMD_CATALOGUE_TRIGGER:
    "a catalogue trigger contradicts itself, repeats another, names a template that is not loaded, or the catalogue's timeZone is not a zone",
  OMD_CATALOGUE_POLICY:
    "a rule of the catalogue's contact policy names an item the catalogue does not have, or one it may not hold back",
  OMD_DECIDE_EXPRESSION_FAILED: "an eligibility expression gave neither true nor false for this customer",
  OMD_THEME_UNREADABLE: "the brand theme file cannot be read",
  OMD_THEME_INVALID: "the brand theme is not valid YAML or breaks its schema",
  OMD_THEME_FONT_UNUSABLE: "a font file the brand theme names is missing or is not a font",
  OMD_TEMPLATES_EMPTY: "the templates folder holds no template package",
  OMD_TEMPLATE_NOT_FOUND: "no template with that id is loaded",
  OMD_TEMPLATE_MANIFEST_INVALID: "a template.yaml is not valid YAML or breaks its schema",
  OMD_TEMPLATE_FILE_MISSING: "a file the template package needs is not in it",
  OMD_TEMPLATE_LANGUAGE_MISSING: "the template has no version in the customer's language",
  OMD_TEMPLATE_SYNTAX: "a template file does not parse",
  OMD_TEMPLATE_RENDER: "a template failed while merging one customer",
  OMD_TEMPLATE_MISSING_TRANSLATION: "a label has no translation for a language the template supports",
  OMD_TEMPLATE_UNKNOWN_FIELD: "a template names a field the view does not have",
  OMD_TEMPLATE_UNKNOWN_LABEL: "a template uses a label its locale files do not define",
  OMD_TEMPLATE_AUDIENCE:
    "a template's audience rule does not parse, calls an unknown function or names a field the profile schema does not have",
  OMD_AUDIENCE_OUTSIDE: "the customer is outside the template's audience: skipped, nothing is composed",
  OMD_AUDIENCE_UNDECIDED: "a template's audience rule gave neither true nor false for this customer",
  OMD_TEMPLATE_LABEL_PLACEHOLDERS: "a translation of a label has other {placeholders} than the other languages",
  OMD_SMS_TEMPLATE_PARTS: "an SMS template is not made only of named {{#part}} blocks with valid options",
  OMD_SMS_OVER_BUDGET: "the SMS text exceeds its segment budget even with every optional part dropped",
  OMD_SMS_NO_MOBILE: "the customer has no mobile number",
  OMD_SMS_PART_DROPPED: "an optional SMS part was left out to keep the text within its segment budget",
  OMD_SMS_OVER_CAP: "the SMS text takes more segments than the gateway's provider accepts: refused before sending",
  OMD_SMS_SEND: "the SMS gateway could not be reached or did not accept a message",
  OMD_SMS_DLR_INVALID: "an SMS delivery report lacks a field, has an unknown status or its token does not verify",
  OMD_COPY_NO_CODE: "copy asks the reader to scan a code in a channel that carries none for it",
  OMD_COPY_USAGE_CLAIM: "usage wording compares a month with no reading, or a zero one, with similar homes",
  OMD_EMAIL_NO_ADDRESS: "the customer has no email address",
  OMD_EMAIL_MJML: "the MJML template does not compile",
  OMD_EMAIL_PLACEHOLDER: "a per-customer placeholder in the email template sits where MJML would drop or mangle it",
  OMD_EMAIL_CONTRAST: "a colour pair the email uses fails WCAG AA contrast",
  OMD_EMAIL_MIME: "the email's MIME message could not be built",
  OMD_EMAIL_CHART_HOST_MISSING: "a hosted email chart was asked for without the address and key to sign its URL",
  OMD_EMAIL_SEND: "the SMTP server could not be reached or did not accept a message",
  OMD_BOUNCE_NOT_DSN:
    "a message sent to a bounce address is not a delivery status notification (RFC 3464): accepted and logged, nothing is recorded",
  OMD_BOUNCE_MAILBOX: "a file of the bounce mailbox cannot be read or moved to cur/: it stays in new/",
  OMD_PDF_MARKUP: "the statement markup is not valid",
  OMD_PDF_FRAME_OVERFLOW: "content does not fit its fixed frame",
  OMD_PDF_BLOCK_TOO_TALL: "a block that cannot be divided is taller than the page's flow region",
  OMD_PDF_QR_TOO_SMALL: "a QR code has too little room for modules that scan at 150 dpi",
  OMD_PDF_MISSING_GLYPH: "no embedded font has a glyph for a character",
  OMD_PDF_HEADING_LEVEL:
    "a heading skips a level or the first heading is not level 1: it is tagged at the level its place allows",
  OMD_PDF_PAGE_IMAGE_RANGE:
    "a page image was asked for at a resolution outside 36–300 dpi or for a page the document lacks",
  OMD_LINK_TAMPERED: "a signed link is malformed or does not match its signature",
  OMD_LINK_EXPIRED: "a signed link is past its expiry date",
  OMD_LINK_UNKNOWN:
    "a tracked or unsubscribe link's token is malformed, tampered with or names no link of record: a 404 page, nothing recorded",
  OMD_UNSUBSCRIBE_BODY:
    "a one-click unsubscribe POST lacks the body List-Unsubscribe=One-Click (RFC 8058): nothing is recorded",
  OMD_SIGNING_KEY_MISSING:
    "a signing key (OMNIDOC_LINK_KEY, OMNIDOC_TRACKING_KEY) is not set, so nothing can be signed",
  OMD_SIGNING_KEY_INVALID:
    "a signing key variable is not KID:SECRET[,KID:SECRET…] with secrets of at least 32 characters",
  OMD_CHANNEL_UNKNOWN: "the template renders no channel by that name",
  OMD_ARCHIVE_URL: "the archive URL is neither sqlite:PATH nor postgres://…",
  OMD_ARCHIVE_UNAVAILABLE:
    "the archive database cannot be opened, reached or its schema migrated (the API answers 503 with Retry-After)",
  OMD_API_BODY_INVALID: "a request body or parameter breaks the API's schema",
  OMD_API_REQUEST_MALFORMED: "the request breaks HTTP rules the API's schemas do not state (media type, length, URL)",
  OMD_API_BODY_TOO_LARGE: "a request body is larger than the API accepts",
  OMD_API_BODY_TOO_DEEP: "a JSON request body nests arrays and objects deeper than the API accepts",
  OMD_API_KEY_MISSING: "the request carries no API key",
  OMD_API_KEY_UNKNOWN: "the request's API key is not one the server accepts (mistyped, or revoked)",
  OMD_API_AUTH_THROTTLED: "too many requests from this address failed authentication; wait for Retry-After",
  OMD_STUDIO_ORIGIN_FOREIGN: "a studio request that changes something came from another site's page",
  OMD_API_KEY_IN_URL: "an API key was sent in the URL (a query parameter such as api_key); keys go only in a header",
  OMD_STUDIO_SESSION_MISSING: "a studio request has no valid session: sign in with an API key first",
  OMD_STUDIO_OFFER_UNKNOWN: "the studio's offer editor was asked for an item the catalogue does not have",
  OMD_AGENT_SESSION_MISSING: "a request of the agent's view has no valid session: sign in with an API key first",
  OMD_AGENT_ORIGIN_FOREIGN: "a request of the agent's view that changes something came from another site's page",
  OMD_AGENT_CUSTOMER_UNKNOWN: "the archive knows nothing of that customer id: no document, profile or interaction",
  OMD_API_SCOPE_MISSING: "the API key lacks the scope the endpoint needs",
  OMD_API_KEYS_INVALID: "the API keys file or variable cannot be read",
  OMD_API_CUSTOMER_UNKNOWN: "the archive has no profile for that customer id",
  OMD_API_DOCUMENT_NOT_FOUND: "the archive has no document with that id",
  OMD_API_OVERLOADED: "the render queue is full; try again shortly",
  OMD_API_RATE_LIMITED: "the API key sent more requests than its rate allows; retry after Retry-After",
  OMD_API_TIMEOUT: "the request took longer than the API allows",
  OMD_API_IDEMPOTENCY_KEY_REUSED: "an Idempotency-Key was already used by the same API key for a different request",
  OMD_API_IDEMPOTENCY_IN_FLIGHT: "the first request with this Idempotency-Key is still being answered; retry shortly",
  OMD_API_ROUTE_NOT_FOUND: "no API endpoint with that method and path",
  OMD_API_INTERNAL: "the server failed; its log has the error under the request id",
  OMD_INPUT_DUPLICATE_ID: "a record repeats the id of an earlier record of the same run",
  OMD_BATCH_COMPOSE_FAILED: "composing one customer failed unexpectedly; the run went on without it",
  OMD_BATCH_RESUME: "a run folder cannot be resumed as asked, or already holds a run",
  OMD_BATCH_JOURNAL:
    "a run's journal was damaged after it was written (a line mid-manifest fails its checksum, an SMS line is not the one journaled): the run is not resumed",
  OMD_BATCH_INPUT_CHANGED: "the extract of a stopped run changed before its resume: the run is not resumed",
  OMD_BATCH_DISK_FULL: "a write of the billing run found the disk full; the journal stays consistent for --resume",
  OMD_QUEUE_URL: "a --queue URL is not redis://HOST:PORT/DB",
  OMD_QUEUE_UNREACHABLE: "Redis, which the distributed run and its workers share, cannot be reached",
  OMD_QUEUE_RUN_BUSY: "another coordinator is driving this run: one run has one coordinator at a time",
  OMD_QUEUE_RUN_UNKNOWN: "no run with that id is known to the queue",
  OMD_QUEUE_SHARD_FAILED:
    "a shard failed on every attempt the queue allows: the run stops, resumable once the cause is fixed",
  OMD_EVENTS_UNAVAILABLE: "the server was started without an event queue, so it takes no events",
  OMD_BOUNCE_UNSIGNED:
    "a bounce names a delivery without omnidoc's tag: forged, or about a message omnidoc did not send",
  OMD_RELEASE_UNKNOWN: "no release has that id (or id prefix)",
  OMD_RELEASE_AMBIGUOUS: "a release id prefix matches more than one release: give more of the id",
  OMD_RELEASE_STATE: "the release is not in a state that allows this move",
  OMD_RELEASE_FOUR_EYES: "the person who proposed a release may not approve or reject it (four eyes)",
  OMD_RELEASE_SEEN: "an approval names a proof set other than the one frozen with the release",
  OMD_RELEASE_REJECTED: "that content was rejected in review; change it and propose the new version",
  OMD_RELEASE_COMMENT: "rejecting a release needs the reviewer's comments, saying what to change",
  OMD_RELEASE_REQUIRED:
    "production mode composes only with a released version, and the template has none (or not the one loaded)",
  OMD_RELEASE_FOLDER: "a release folder to import is incomplete, or its files do not match its hashes",
  OMD_RELEASE_MIXED:
    "the released versions of two templates were proofed with different catalogues, themes or fonts: one server composes with one of each",
  OMD_DELIVERY_UNKNOWN: "a delivery report names a delivery the archive does not hold",
  OMD_RELEASE_DIFF_BROWSER:
    "Chromium could not start to show the emails of a release diff: their words are compared, their looks are not",
} as const;

export type ProblemCode = keyof typeof PROBLEM_CODES;

export interface Problem {
  code: ProblemCode;
  /** What went wrong, in words a person can act on. */
  message: string;
  /** Where: `file:line:column` for templates and catalogues, a JSON pointer for API bodies, `line N` for batch records. */
  at?: string;
  /** What to do about it, when we know. */
  hint?: string;
}

export function problem(code: ProblemCode, message: string, at?: string, hint?: string): Problem {
  const p: Problem = { code, message };
  if (at !== undefined) p.at = at;
  if (hint !== undefined) p.hint = hint;
  return p;
}

export type Result<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(...problems: Problem[]): Result<T> => ({ ok: false, problems });

/** One line for a terminal or a log: `CODE at LOCATION: message (hint)`. */
export function formatProblem(p: Problem): string {
  return `${p.code}${p.at ? ` at ${p.at}` : ""}: ${p.message}${p.hint ? ` (${p.hint})` : ""}`;
}

/** Thrown only by the outer ring when a whole load (catalogue, template) fails and nothing can go on. */
export class ProblemError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "ProblemError";
  }
}

/** Collects warnings during compose; never writes to the console itself. */
export interface WarningSink {
  warn(p: Problem): void;
}
