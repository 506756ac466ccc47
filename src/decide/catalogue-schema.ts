import { Ajv } from "ajv";
import { EVENT_TYPE_PATTERN } from "../events/index.ts";

/** The shape of a catalogue file. Meaning (expressions, copy per channel) is checked by the loader. */

const isoDate = { type: "string", pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" } as const;
/** A window of days in the contact policy: up to ten years. */
const days = (minimum: number) => ({ type: "integer", minimum, maximum: 3650 }) as const;
const itemId = { type: "string", pattern: "^[a-z0-9][a-z0-9-]{0,63}$" } as const;
const text = (maxLength: number) => ({ type: "string", minLength: 1, maxLength }) as const;

const channel = { enum: ["print", "email", "sms"] } as const;
/** A list of channels; a repeated one is found by the loader, which can point at it. */
const channelList = (minItems: number) => ({ type: "array", minItems, maxItems: 3, items: channel }) as const;
/** A local time of day, 00:00 to 23:59. */
const timeOfDay = { type: "string", pattern: "^([01][0-9]|2[0-3]):[0-5][0-9]$" } as const;

/** What an event starts (Trigger in types.ts); the loader checks what one trigger says against another. */
const trigger = {
  type: "object",
  additionalProperties: false,
  required: ["event", "template", "channels"],
  properties: {
    event: { type: "string", maxLength: 100, pattern: EVENT_TYPE_PATTERN },
    template: itemId,
    channels: channelList(1),
    fallback: channelList(0),
    dedupe: {
      type: "object",
      additionalProperties: false,
      required: ["hours"],
      // Up to a year: a longer window is a rule about the customer, not about repeats.
      properties: { hours: { type: "number", minimum: 0, maximum: 8760 } },
    },
    quietHours: {
      type: "object",
      additionalProperties: false,
      required: ["from", "to", "channels"],
      properties: { from: timeOfDay, to: timeOfDay, channels: channelList(1) },
    },
  },
} as const;

const cta = {
  type: "object",
  additionalProperties: false,
  required: ["label", "url"],
  properties: { label: text(40), url: { type: "string", pattern: "^https://[^\\s]+$", maxLength: 300 } },
} as const;

/** A channel's own headline or body, in place of the item's. */
const channelCopy = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  properties: { headline: text(80), body: text(600) },
} as const;

/** Copy of one language; `sms` must fit one message beside the balance text. */
const copy = (required: readonly string[]) =>
  ({
    type: "object",
    additionalProperties: false,
    required,
    properties: { headline: text(80), body: text(600), sms: text(100), cta, print: channelCopy, email: channelCopy },
  }) as const;

const byLanguage = (required: readonly string[], languagesRequired: readonly string[]) =>
  ({
    type: "object",
    additionalProperties: false,
    required: languagesRequired,
    properties: { en: copy(required), fr: copy(required), de: copy(required) },
  }) as const;

export const catalogueSchema = {
  type: "object",
  additionalProperties: false,
  required: ["items"],
  properties: {
    name: text(100),
    /** An IANA zone; the loader asks Intl whether it knows it. */
    timeZone: { type: "string", minLength: 1, maxLength: 64 },
    triggers: { type: "array", maxItems: 500, items: trigger },
    policy: {
      type: "object",
      additionalProperties: false,
      properties: {
        complaintWindowDays: days(0),
        declinedWindowDays: days(0),
        notNowDays: days(0),
        contactLimit: {
          type: "object",
          additionalProperties: false,
          required: ["max", "days"],
          properties: { max: { type: "integer", minimum: 1, maximum: 1000 }, days: days(1) },
        },
        spacing: {
          type: "array",
          maxItems: 200,
          items: {
            type: "object",
            additionalProperties: false,
            required: ["after", "offer", "days"],
            properties: { after: itemId, offer: itemId, days: days(1) },
          },
        },
      },
    },
    items: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["id", "kind", "slot", "priority", "eligibility", "channels", "marketing", "copy"],
        properties: {
          id: itemId,
          kind: { enum: ["offer", "service", "regulatory"] },
          slot: { enum: ["hero", "secondary", "notice"] },
          priority: { type: "integer", minimum: 0, maximum: 1000 },
          eligibility: { type: "string", minLength: 1, maxLength: 2000 },
          valid: { type: "object", additionalProperties: false, properties: { from: isoDate, to: isoDate } },
          channels: { type: "array", minItems: 1, uniqueItems: true, items: channel },
          marketing: { type: "boolean" },
          product: text(40),
          group: text(40),
          cap: { type: "integer", minimum: 0 },
          qr: { type: "boolean" },
          experiment: {
            type: "object",
            additionalProperties: false,
            required: ["id", "variants"],
            properties: {
              id: { type: "string", pattern: "^[a-z0-9][a-z0-9-]{0,63}$" },
              variants: {
                type: "array",
                minItems: 2,
                items: {
                  type: "object",
                  additionalProperties: false,
                  required: ["id", "weight"],
                  properties: {
                    id: { type: "string", pattern: "^[A-Za-z0-9-]{1,32}$" },
                    weight: { type: "number", exclusiveMinimum: 0 },
                    copy: byLanguage([], []),
                  },
                },
              },
            },
          },
          copy: byLanguage(["headline", "body"], ["en"]),
        },
      },
    },
  },
} as const;

/** Compiled once per process. */
export const checkCatalogue = new Ajv({ allErrors: true, strict: true }).compile(catalogueSchema);
