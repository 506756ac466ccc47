import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { type Result, fail, ok, pointerUnder, problem, recordsOfBody } from "../core/index.ts";
import { describeSchemaError, schemaErrorPointer } from "../profile/index.ts";
import { RESPONSE_LIMITS, responseSchema } from "./schema.ts";
import type { OfferResponseReport } from "./types.ts";

// ajv-formats is CommonJS with a default export; under NodeNext the callable sits on `.default`.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** Compiled on first use, not on import: the command line loads this module for every command. */
let compiled: ValidateFunction<OfferResponseReport> | undefined;
function check(): ValidateFunction<OfferResponseReport> {
  if (compiled) return compiled;
  const ajv = new Ajv({ allErrors: false, strict: true, verbose: true });
  addFormats(ajv, ["date-time"]);
  compiled = ajv.compile<OfferResponseReport>(responseSchema);
  return compiled;
}

/**
 * An API body, one response or an array of them, as a list; or a problem per bad response, each at its JSON
 * pointer in the body (`/1/at`). An offer the catalogue does not hold (`knownOffer` false) is a problem at its
 * `offerId`. Never throws on bad data.
 */
export function validateResponses(
  body: unknown,
  knownOffer: (offerId: string) => boolean,
): Result<OfferResponseReport[]> {
  return recordsOfBody(
    body,
    RESPONSE_LIMITS.perRequest,
    (message) => problem("OMD_RESPONSE_FIELD_INVALID", `${message} responses`, "/"),
    (record, prefix) => validate(record, prefix, knownOffer),
  );
}

/** The first rule a response breaks, as a problem at its JSON pointer under `prefix` (its place in the body). */
function validate(
  record: unknown,
  prefix: string,
  knownOffer: (offerId: string) => boolean,
): Result<OfferResponseReport> {
  const at = (inner: string) => pointerUnder(prefix, inner);
  const c = check();
  if (!c(record)) {
    const e = (c.errors as ErrorObject[])[0];
    const pointer = at(schemaErrorPointer(e));
    const message = `${pointer} ${describeSchemaError(e)}`;
    return fail(
      e.keyword === "required"
        ? problem("OMD_RESPONSE_FIELD_MISSING", message, pointer)
        : problem("OMD_RESPONSE_FIELD_INVALID", message, pointer),
    );
  }
  // The format allows a leap second (23:59:60), which no Date holds: it could be neither normalised nor ordered.
  if (Number.isNaN(Date.parse(record.at)))
    return fail(problem("OMD_RESPONSE_FIELD_INVALID", `${at("/at")} is not a date-time omnidoc can keep`, at("/at")));
  if (!knownOffer(record.offerId))
    return fail(
      problem(
        "OMD_RESPONSE_OFFER_UNKNOWN",
        `${at("/offerId")} names "${record.offerId}", which is not in the catalogue`,
        at("/offerId"),
        "send the id of a catalogue item",
      ),
    );
  return ok(record);
}
