import { Ajv } from "ajv";
import { LANGUAGES } from "../profile/index.ts";

/** The shapes of `theme.yaml` and a package's `template.yaml`, each compiled once per process. */

const text = { type: "string", minLength: 1 } as const;
const colour = { type: "string", pattern: "^#[0-9A-Fa-f]{6}$" } as const;
const size = { type: "number", exclusiveMinimum: 0, maximum: 200 } as const;
const space = { type: "number", minimum: 0, maximum: 200 } as const;

const strictObject = (properties: Record<string, object>, required: readonly string[]) =>
  ({ type: "object", additionalProperties: false, required, properties }) as const;

/** Every role a channel styles from; a theme may add colours of its own. */
export const THEME_COLOURS = [
  "primary",
  "secondary",
  "accent",
  "text",
  "muted",
  "background",
  "surface",
  "border",
  "positive",
  "negative",
] as const;

export const themeSchema = strictObject(
  {
    brand: strictObject(
      {
        name: text,
        legalName: text,
        address: text,
        website: { type: "string", pattern: "^https?://[^\\s]+$" },
        supportPhone: text,
        logoText: text,
      },
      ["name", "legalName", "address", "website", "supportPhone"],
    ),
    sender: strictObject(
      { country: { type: "string", pattern: "^[A-Z]{2}$" }, language: { type: "string", pattern: "^[a-z]{2,3}$" } },
      ["country"],
    ),
    colours: {
      type: "object",
      required: THEME_COLOURS,
      properties: Object.fromEntries(THEME_COLOURS.map((c) => [c, colour])),
      additionalProperties: colour,
    },
    fonts: strictObject({ body: text, bold: text, italic: text, boldItalic: text, emailStack: text }, [
      "body",
      "bold",
      "emailStack",
    ]),
    sizes: strictObject({ body: size, small: size, h1: size, h2: size, h3: size }, ["body", "small", "h1", "h2", "h3"]),
    spacing: strictObject({ unit: space, paragraph: space, section: space }, ["unit", "paragraph", "section"]),
  },
  ["brand", "sender", "colours", "fonts", "sizes", "spacing"],
);

/** What an SMS does with a name GSM-7 cannot carry (`NonGsmNames`); the first is the default. */
export const NON_GSM_NAMES = ["transliterate", "ucs2"] as const;

/** A budget beyond this many segments is a typo, not a text anyone reads on a phone. */
export const MAX_SMS_BUDGET = 10;

const file = { type: "string", pattern: "^[^/\\\\][^\\\\]*$" } as const;

/** Who the document is for: one rule, or conditions that must all hold, each with the reason it skips. */
const audience = {
  oneOf: [text, { type: "array", minItems: 1, items: strictObject({ rule: text, skip: text }, ["rule"]) }],
} as const;

export const manifestSchema = strictObject(
  {
    id: { type: "string", pattern: "^[a-z0-9][a-z0-9-]{0,63}$" },
    version: text,
    name: text,
    description: { type: "string" },
    languages: { type: "array", minItems: 1, uniqueItems: true, items: { enum: LANGUAGES } },
    audience,
    channels: {
      type: "object",
      additionalProperties: false,
      minProperties: 1,
      properties: {
        pdf: strictObject({ file }, ["file"]),
        email: strictObject(
          {
            file,
            fromName: text,
            fromAddress: { type: "string", pattern: "^[^\\s@]+@[^\\s@]+$" },
            chart: { enum: ["embedded", "hosted"] },
          },
          ["file"],
        ),
        sms: strictObject(
          {
            file,
            budget: { type: "integer", minimum: 1, maximum: MAX_SMS_BUDGET },
            sender: text,
            nonGsm: { enum: NON_GSM_NAMES },
          },
          ["file"],
        ),
      },
    },
  },
  ["id", "version", "name", "languages", "channels"],
);

const ajv = new Ajv({ allErrors: true, strict: true });
export const checkTheme = ajv.compile(themeSchema);
export const checkManifest = ajv.compile(manifestSchema);
