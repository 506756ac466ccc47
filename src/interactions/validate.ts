import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { type Result, fail, ok, pointerUnder, problem, recordsOfBody } from "../core/index.ts";
import { describeSchemaError, schemaErrorPointer } from "../profile/index.ts";
import { INTERACTION_LIMITS, customerInteractionSchema, interactionSchema } from "./schema.ts";
import type { CustomerInteraction, Interaction } from "./types.ts";

// ajv-formats is CommonJS with a default export; under NodeNext the callable sits on `.default`.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

interface Checks {
  interaction: ValidateFunction<Interaction>;
  line: ValidateFunction<CustomerInteraction>;
}
/** Compiled on first use, not on import: the command line loads this module for every command. */
let compiled: Checks | undefined;
function checks(): Checks {
  if (compiled) return compiled;
  const ajv = new Ajv({ allErrors: false, strict: true, verbose: true });
  // `date-time` in full mode: a real date and time, with its offset (a time without one names no instant).
  addFormats(ajv, ["date-time"]);
  compiled = {
    interaction: ajv.compile<Interaction>(interactionSchema),
    line: ajv.compile<CustomerInteraction>(customerInteractionSchema),
  };
  return compiled;
}

/**
 * An API body, one interaction or an array of them, as a list; or a problem per bad interaction, each at its
 * JSON pointer in the body (`/1/at`). Never throws on bad data.
 */
export function validateInteractions(body: unknown): Result<Interaction[]> {
  return recordsOfBody(
    body,
    INTERACTION_LIMITS.perRequest,
    (message) => problem("OMD_INTERACTION_FIELD_INVALID", `${message} interactions`, "/"),
    (record, prefix) => validate(checks().interaction, record, prefix),
  );
}

/** One NDJSON line of an import file (1-based `line`), or the problem that names the line and the field. */
export function parseInteractionLine(text: string, line: number): Result<CustomerInteraction> {
  const where = `line ${line}`;
  if (text.trim() === "")
    return fail(problem("OMD_INPUT_EMPTY", "empty line where an interaction was expected", where));
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch (err) {
    return fail(problem("OMD_INPUT_NOT_JSON", `not valid JSON: ${(err as Error).message}`, where));
  }
  return validate(checks().line, record, "", where);
}

/**
 * The first rule a record breaks, as a problem at its JSON pointer: under `prefix` (the item's place in a body),
 * after `where` (`line 3 /at`) when the record is a line of a file.
 */
function validate<T extends Interaction>(
  check: ValidateFunction<T>,
  record: unknown,
  prefix = "",
  where = "",
): Result<T> {
  const located = (inner: string) => {
    const pointer = pointerUnder(prefix, inner);
    return { pointer, at: where ? `${where} ${pointer}` : pointer };
  };
  if (check(record)) {
    // The format allows a leap second (23:59:60), which no Date holds: it could be neither normalised nor ordered.
    if (!Number.isNaN(Date.parse(record.at))) return ok(record);
    const { pointer, at } = located("/at");
    return fail(problem("OMD_INTERACTION_FIELD_INVALID", `${pointer} is not a date-time omnidoc can keep`, at));
  }
  const e = (check.errors as ErrorObject[])[0];
  const { pointer, at } = located(schemaErrorPointer(e));
  const message = `${pointer} ${describeSchemaError(e)}`;
  return fail(
    e.keyword === "required"
      ? problem("OMD_INTERACTION_FIELD_MISSING", message, at)
      : problem("OMD_INTERACTION_FIELD_INVALID", message, at),
  );
}
