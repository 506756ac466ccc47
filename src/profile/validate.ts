import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { type Problem, type Result, fail, isTimeZone, ok, problem } from "../core/index.ts";
import { decimalPlaces } from "./decimals.ts";
import { forbiddenCharacter } from "./plain-text.ts";
import { profileSchema } from "./schema.ts";
import type { Profile } from "./types.ts";

// ajv-formats is CommonJS with a default export; under NodeNext the callable sits on `.default`.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/**
 * Compiled on first use, once per thread: validating a record is then a plain function call. Not on import: a
 * billing run's compose threads import this module and never validate (~0.1 s of a thread's start-up).
 */
let compiled: ValidateFunction<Profile> | undefined;
function check(): ValidateFunction<Profile> {
  if (compiled) return compiled;
  const ajv = new Ajv({
    allErrors: false,
    useDefaults: true,
    strict: true,
    allowUnionTypes: true,
    // Errors carry the rule's schema value (how many decimal places `decimals` allows) and the value (so a
    // refused character can be named).
    verbose: true,
  });
  addFormats(ajv, ["email", "date"]);
  ajv.addFormat("time-zone", isTimeZone);
  ajv.addKeyword({
    keyword: "decimals",
    type: "number",
    schemaType: "number",
    validate: (places: number, x: number) => decimalPlaces(x) <= places,
  });
  compiled = ajv.compile<Profile>(profileSchema);
  return compiled;
}

/**
 * Validates one parsed record. `where` prefixes every location (`line 12`, or "" for an API body, where the
 * JSON pointer alone is the location). Never throws on bad data.
 */
export function validateProfile(record: unknown, where = ""): Result<Profile> {
  const validate = check();
  if (validate(record)) return ok(record);
  return fail(...(validate.errors ?? []).slice(0, 1).map((e) => toProblem(e, where)));
}

function toProblem(e: ErrorObject, where: string): Problem {
  const pointer = schemaErrorPointer(e);
  const at = where ? `${where} ${pointer}` : pointer;
  if (e.keyword === "required") return problem("OMD_PROFILE_FIELD_MISSING", `${pointer} is required`, at);
  if (e.keyword === "enum" && (pointer === "/locale" || pointer === "/currency")) {
    const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.join(", ");
    return problem("OMD_PROFILE_LOCALE_UNKNOWN", `${pointer} is not supported; supported: ${allowed}`, at);
  }
  return problem("OMD_PROFILE_FIELD_INVALID", `${pointer} ${describeSchemaError(e)}`, at);
}

/** The JSON pointer an ajv error is about: for a missing or unknown field, the field's own, not its parent's. */
export function schemaErrorPointer(e: ErrorObject): string {
  const p = e.params as { missingProperty?: string; additionalProperty?: string };
  if (e.keyword === "required") return `${e.instancePath}/${p.missingProperty}`;
  if (e.keyword === "additionalProperties") return `${e.instancePath}/${p.additionalProperty}`;
  return e.instancePath || "/";
}

/** What an ajv error says, in words that follow its pointer (compiled with `verbose`, so a refused character is named). */
export function describeSchemaError(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "type":
      return `must be ${p.type}`;
    case "maxLength":
      return `is longer than the limit of ${p.limit} characters`;
    case "decimals":
      return `has more than ${e.schema} decimal places`;
    case "exclusiveMaximum":
    case "exclusiveMinimum":
      return `is out of range: it must be ${p.comparison} ${p.limit}`;
    case "format":
      return `is not a valid ${p.format}`;
    case "pattern": {
      const bad = typeof e.data === "string" ? forbiddenCharacter(e.data) : undefined;
      return bad ? `holds ${bad}: remove it` : (e.message ?? "breaks its pattern");
    }
    case "required":
      return "is required";
    case "additionalProperties":
      return "is not a field this schema knows";
    case "enum":
      return `must be one of ${(p.allowedValues as unknown[]).join(", ")}`;
    default:
      return e.message ?? `breaks rule ${e.keyword}`;
  }
}
