/**
 * JSON schemas of every request and response: Fastify validates requests and serialises responses with them,
 * and the OpenAPI document at /docs is made from them.
 */

import { EVENT_LIMITS, eventSchema } from "../events/index.ts";
import { INTERACTION_LIMITS, interactionSchema } from "../interactions/index.ts";
import { CUSTOMER_ID_PATTERN } from "../profile/index.ts";

const id = (pattern: string, description: string) => ({ type: "string", pattern, description }) as const;

export const TEMPLATE_ID = id("^[a-z0-9][a-z0-9-]{0,63}$", "a loaded template's id, e.g. energy-bill");
export const CUSTOMER_ID = id(CUSTOMER_ID_PATTERN, "a customer id, e.g. C0000001");
export const DOCUMENT_ID = id("^[0-9a-f]{32}$", "an archived document's id");
const RUN_DATE = { type: "string", format: "date", description: "the run date, YYYY-MM-DD" } as const;

export const problemResponse = {
  $id: "ProblemResponse",
  type: "object",
  required: ["problems"],
  properties: {
    requestId: { type: "string" },
    problems: {
      type: "array",
      items: {
        type: "object",
        required: ["code", "message"],
        properties: {
          code: { type: "string" },
          message: { type: "string" },
          at: { type: "string", description: "a JSON pointer into the request body, when the problem is in it" },
          hint: { type: "string" },
        },
      },
    },
  },
} as const;

export const archivedDocument = {
  $id: "ArchivedDocument",
  type: "object",
  required: [
    "id",
    "customerId",
    "template",
    "templateVersion",
    "channel",
    "runId",
    "created",
    "offerIds",
    "contentType",
    "sha256",
    "size",
  ],
  properties: {
    id: { type: "string" },
    customerId: { type: "string" },
    template: { type: "string" },
    templateVersion: { type: "string" },
    channel: { type: "string" },
    runId: { type: "string" },
    created: { type: "string", format: "date-time" },
    offerIds: { type: "array", items: { type: "string" } },
    contentType: { type: "string" },
    sha256: { type: "string" },
    size: { type: "integer" },
    madeBy: { type: "string", description: "the name of the API key that made it (absent for a billing run)" },
    profileSource: {
      type: "string",
      enum: ["record", "caller"],
      description: "record: made from the customer's profile of record; caller: from a profile a caller sent",
    },
    release: { type: "string", description: "the release (content hash) it was composed with, when one was used" },
    url: { type: "string", description: "where GET answers the stored bytes" },
  },
} as const;

const chosenItem = {
  type: "object",
  additionalProperties: true,
  required: ["id", "kind", "slot", "priority"],
  properties: {
    id: { type: "string" },
    kind: { type: "string" },
    slot: { type: "string" },
    priority: { type: "number" },
    channels: { type: "array", items: { type: "string" } },
    marketing: { type: "boolean" },
    experiment: { type: "object", properties: { id: { type: "string" }, variant: { type: "string" } } },
    copy: { type: "object", additionalProperties: true },
  },
} as const;

export const decision = {
  $id: "Decision",
  type: "object",
  required: ["customerId", "runDate", "language", "slots", "trace"],
  properties: {
    customerId: { type: "string" },
    runDate: { type: "string" },
    language: { type: "string" },
    slots: {
      type: "object",
      properties: {
        hero: { type: "array", items: chosenItem },
        secondary: { type: "array", items: chosenItem },
        notice: { type: "array", items: chosenItem },
      },
    },
    trace: {
      type: "array",
      description: "every catalogue item, chosen or not, with the rule that decided it and why",
      items: {
        type: "object",
        required: ["id", "slot", "chosen", "rule", "reason"],
        properties: {
          id: { type: "string" },
          slot: { type: "string" },
          chosen: { type: "boolean" },
          rule: { type: "string" },
          reason: { type: "string" },
          event: {
            type: "object",
            description: "the event of the customer's history that fired the rule (docs/contact-policy.md)",
            required: ["kind", "at", "source"],
            properties: {
              kind: { enum: ["complaint", "accepted", "declined", "not-now", "opted-out", "offer"] },
              at: { type: "string", description: "ISO date or timestamp, as recorded" },
              source: { type: "string", description: "the system that reported it: extract, decision, link, …" },
              sourceId: { type: "string" },
              offerId: { type: "string" },
              channel: { type: "string" },
            },
          },
        },
      },
    },
  },
} as const;

export const templateInfo = {
  $id: "Template",
  type: "object",
  required: ["id", "version", "name", "languages", "channels"],
  properties: {
    id: { type: "string" },
    version: { type: "string" },
    versions: { type: "array", items: { type: "string" }, description: "versions this server can render" },
    name: { type: "string" },
    description: { type: "string" },
    languages: { type: "array", items: { type: "string" } },
    channels: { type: "array", items: { type: "string" } },
  },
} as const;

export const problems = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, { $ref: "ProblemResponse#" }])) as Record<number, { $ref: string }>;

/** Who the document is for: a profile in the body, or the id of a customer the archive knows. */
const subject = {
  profile: { type: "object", description: "a customer profile (see the profile schema); or give customerId" },
  customerId: {
    ...CUSTOMER_ID,
    description: "re-render for a customer the archive knows, from their profile of record (needs archive:read)",
  },
} as const;

export const documentRequest = {
  type: "object",
  additionalProperties: false,
  required: ["template", "channel", "runDate"],
  properties: {
    template: TEMPLATE_ID,
    channel: { type: "string", enum: ["pdf", "email", "sms"] },
    format: { type: "string", enum: ["html", "text", "eml"], description: "email only; default html" },
    runDate: RUN_DATE,
    ...subject,
    archive: { type: "boolean", default: true, description: "record the document in the archive (default true)" },
  },
} as const;

/** Stripe's convention: a client's own key for one request, so that a retry of it makes nothing twice. */
export const idempotencyHeader = {
  type: "object",
  properties: {
    "idempotency-key": {
      type: "string",
      pattern: "^[\\x21-\\x7e]{1,255}$",
      description:
        "a key of the client's choosing (1-255 visible ASCII characters, e.g. a UUID) for this request, kept 24 h per API key",
    },
  },
} as const;

export const auditEntry = {
  $id: "AuditEntry",
  type: "object",
  required: ["at", "keyName", "route", "customerId", "action"],
  properties: {
    at: { type: "string", format: "date-time" },
    keyName: { type: "string", description: "the name of the API key that read or wrote" },
    route: { type: "string", description: "method and route, e.g. GET /v1/documents/:id" },
    customerId: { type: "string" },
    action: { type: "string", enum: ["read", "write"] },
    documentId: { type: "string" },
  },
} as const;

export const decisionRequest = {
  type: "object",
  additionalProperties: false,
  required: ["runDate"],
  properties: {
    template: { ...TEMPLATE_ID, description: "template whose labels the decision uses (default: the first loaded)" },
    runDate: RUN_DATE,
    ...subject,
  },
} as const;

/** An interaction as the archive keeps it: as it was sent, with whose it is and its time in UTC. */
export const interaction = {
  $id: "Interaction",
  ...interactionSchema,
  required: [...interactionSchema.required, "customerId"],
  properties: { customerId: { type: "string" }, ...interactionSchema.properties },
} as const;

/** One interaction, or an array of them, as `POST /v1/customers/{id}/interactions` takes it. */
export const interactionsRequest = {
  oneOf: [
    interactionSchema,
    { type: "array", minItems: 1, maxItems: INTERACTION_LIMITS.perRequest, items: interactionSchema },
  ],
} as const;

/** One event, or an array of them, as `POST /v1/events` takes it. */
export const eventsRequest = {
  oneOf: [eventSchema, { type: "array", minItems: 1, maxItems: EVENT_LIMITS.perRequest, items: eventSchema }],
} as const;

export const SHARED_SCHEMAS = [problemResponse, archivedDocument, auditEntry, interaction, decision, templateInfo];
