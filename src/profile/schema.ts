import { PLAIN_TEXT_PATTERN } from "./plain-text.ts";

/**
 * The profile JSON Schema: accepts every record of a real billing extract as it is (extra fields are kept,
 * never required), and states each limit a record can break. Documented limits live here and nowhere else.
 */

export const LIMITS = {
  /** A name part longer than this is a data error, not a name: it would break every address block. */
  nameLength: 100,
  addressLineLength: 200,
  chargeLines: 500,
  interactions: 200,
  /** Every amount and measure lies strictly between minus and plus this: ten trillion, in pounds or euros. */
  magnitude: 1e13,
  /** Decimal places of an amount: the minor unit of every supported currency (pence, cents). */
  amountDecimals: 2,
  /** Decimal places of a unit rate (£0.2462 a kWh) or a quantity (427.23 kWh). */
  measureDecimals: 6,
} as const;

/** Locales omnidoc formats money and dates for, with their currency. */
/** A customer's id, in a profile and wherever else a customer is named (the API's paths, interactions). */
export const CUSTOMER_ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$";

/** Locales omnidoc formats money and dates for, with their currency. */
export const LOCALES = ["en-GB", "en-IE", "fr-FR", "de-DE"] as const;
export const CURRENCIES = ["GBP", "EUR"] as const;
export const LANGUAGES = ["en", "fr", "de"] as const;

/**
 * A number bounded in size and in decimal places (`decimals`, a keyword of our own: JSON Schema's
 * `multipleOf: 0.01` fails 19.99 in binary floating point). Within the bounds every value is a decimal of at
 * most 15 significant digits, which a double holds exactly, so totals in minor units are exact.
 */
const bounded = (decimals: number) =>
  ({ type: "number", exclusiveMinimum: -LIMITS.magnitude, exclusiveMaximum: LIMITS.magnitude, decimals }) as const;
/** An amount of money in the customer's currency. */
const money = bounded(LIMITS.amountDecimals);
/** A quantity or a unit rate. */
const measure = bounded(LIMITS.measureDecimals);
const isoDate = { type: "string", format: "date" } as const;
/** A text field: one line of visible characters (no controls, invisible or bidi-override characters: plain-text.ts). */
const text = (maxLength: number, minLength = 0) =>
  ({ type: "string", minLength, maxLength, pattern: PLAIN_TEXT_PATTERN }) as const;

export const profileSchema = {
  $id: "https://omnidoc.dev/schemas/profile.json",
  type: "object",
  required: [
    "id",
    "name",
    "locale",
    "currency",
    "contact",
    "preferences",
    "segment",
    "tenureMonths",
    "products",
    "account",
    "usage",
  ],
  properties: {
    id: { type: "string", pattern: CUSTOMER_ID_PATTERN },
    name: {
      type: "object",
      required: ["first", "last"],
      properties: {
        title: text(20),
        first: text(LIMITS.nameLength, 1),
        last: text(LIMITS.nameLength, 1),
      },
    },
    locale: { type: "string", enum: LOCALES },
    currency: { type: "string", enum: CURRENCIES },
    contact: {
      type: "object",
      required: ["address"],
      properties: {
        email: { type: "string", format: "email", maxLength: 254 },
        mobile: { type: "string", pattern: "^\\+[1-9][0-9]{6,14}$" },
        address: {
          type: "object",
          required: ["lines", "city", "postcode", "country"],
          properties: {
            lines: { type: "array", minItems: 1, maxItems: 6, items: text(LIMITS.addressLineLength, 1) },
            city: text(100, 1),
            postcode: text(16, 1),
            country: { type: "string", pattern: "^[A-Z]{2}$" },
          },
        },
      },
    },
    preferences: {
      type: "object",
      required: ["channels", "paperless", "marketingConsent", "language"],
      properties: {
        channels: { type: "array", uniqueItems: true, items: { enum: ["print", "email", "sms"] } },
        paperless: { type: "boolean" },
        marketingConsent: { type: "boolean" },
        language: { enum: LANGUAGES },
        /** Where the customer's day and night are, for quiet hours: else the country's zone, else the catalogue's. */
        timeZone: { type: "string", maxLength: 64, format: "time-zone" },
      },
    },
    segment: { enum: ["residential", "small-business", "vulnerable"] },
    tenureMonths: { type: "integer", minimum: 0 },
    products: {
      type: "array",
      items: { type: "object", required: ["code", "name"], properties: { code: text(40, 1), name: text(200) } },
    },
    account: {
      type: "object",
      required: [
        "number",
        "statementDate",
        "periodStart",
        "periodEnd",
        "dueDate",
        "previousBalance",
        "paymentsReceived",
        "charges",
        "subtotal",
        "vat",
        "balanceDue",
        "directDebit",
        "inArrears",
      ],
      properties: {
        number: { type: "string", pattern: "^[0-9A-Za-z-]{4,32}$" },
        statementDate: isoDate,
        periodStart: isoDate,
        periodEnd: isoDate,
        dueDate: isoDate,
        previousBalance: money,
        paymentsReceived: money,
        charges: {
          type: "array",
          maxItems: LIMITS.chargeLines,
          items: {
            type: "object",
            required: ["description", "quantity", "unit", "rate", "amount"],
            properties: { description: text(300, 1), quantity: measure, unit: text(20), rate: measure, amount: money },
          },
        },
        subtotal: money,
        vat: money,
        balanceDue: money,
        directDebit: { type: "boolean" },
        inArrears: { type: "boolean" },
      },
    },
    usage: {
      type: "object",
      required: ["unit", "monthly", "daily", "peerAverage"],
      properties: {
        unit: text(20, 1),
        monthly: {
          type: "array",
          maxItems: 24,
          items: {
            type: "object",
            required: ["month", "value"],
            properties: {
              month: { type: "string", pattern: "^[0-9]{4}-[0-9]{2}$" },
              value: { type: "number", minimum: 0 },
            },
          },
        },
        daily: { type: "array", maxItems: 31, items: { type: "number", minimum: 0 } },
        peerAverage: { type: "number", minimum: 0 },
      },
    },
    interactions: {
      type: "array",
      default: [],
      maxItems: LIMITS.interactions,
      items: {
        type: "object",
        required: ["date", "channel", "topic"],
        properties: { date: isoDate, channel: text(40, 1), topic: text(40, 1) },
      },
    },
  },
} as const;
