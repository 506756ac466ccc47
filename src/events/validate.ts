import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { type Result, fail, ok, pointerUnder, problem, recordsOfBody } from "../core/index.ts";
import type { CustomerInteraction } from "../interactions/index.ts";
import { describeSchemaError, schemaErrorPointer } from "../profile/index.ts";
import { EVENT_LIMITS, eventSchema } from "./schema.ts";
import type { CustomerEvent } from "./types.ts";

// ajv-formats is CommonJS with a default export; under NodeNext the callable sits on `.default`.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** The interactions' `source` of every recorded event: how a trigger finds the customer's earlier events. */
export const EVENT_SOURCE = "events";

type EventBody = Omit<CustomerEvent, "data"> & { data?: Record<string, unknown> };

/** Compiled on first use, not on import: the command line loads this module for every command. */
let compiled: ValidateFunction<EventBody> | undefined;
function check(): ValidateFunction<EventBody> {
  if (compiled) return compiled;
  const ajv = new Ajv({ allErrors: false, strict: true, verbose: true });
  // `date-time` in full mode: a real date and time, with its offset (a time without one names no instant).
  addFormats(ajv, ["date-time"]);
  compiled = ajv.compile<EventBody>(eventSchema);
  return compiled;
}

/**
 * An API body, one event or an array of them, as a list with `at` in UTC and `data` at least `{}`; or a problem
 * per bad event, each at its JSON pointer in the body (`/1/at`). Never throws on bad data.
 */
export function validateEvents(body: unknown): Result<CustomerEvent[]> {
  return recordsOfBody(
    body,
    EVENT_LIMITS.perRequest,
    (message) => problem("OMD_EVENT_INVALID", `${message} events`, "/"),
    validateEvent,
  );
}

/** The first rule an event breaks, as a problem at its JSON pointer under `prefix` (its place in the body). */
function validateEvent(record: unknown, prefix: string): Result<CustomerEvent> {
  const at = (inner: string) => pointerUnder(prefix, inner);
  const invalid = (inner: string, message: string) =>
    fail<CustomerEvent>(problem("OMD_EVENT_INVALID", `${at(inner)} ${message}`, at(inner)));
  const c = check();
  if (!c(record)) {
    const e = (c.errors as ErrorObject[])[0];
    return invalid(schemaErrorPointer(e), describeSchemaError(e));
  }
  // The format allows a leap second (23:59:60), which no Date holds: it could be neither normalised nor ordered.
  const time = Date.parse(record.at);
  if (Number.isNaN(time)) return invalid("/at", "is not a date-time omnidoc can keep");
  const data = record.data ?? {};
  const bytes = new TextEncoder().encode(JSON.stringify(data)).length;
  if (bytes > EVENT_LIMITS.dataBytes)
    return invalid("/data", `is ${bytes} bytes as JSON, more than the limit of ${EVENT_LIMITS.dataBytes}`);
  return ok({
    id: record.id,
    type: record.type,
    customerId: record.customerId,
    at: new Date(time).toISOString(),
    data,
  });
}

/** The interaction that records an event in the customer's history, where later triggers look for repeats. */
export function eventInteraction(event: CustomerEvent): CustomerInteraction {
  return {
    customerId: event.customerId,
    source: EVENT_SOURCE,
    sourceId: event.id,
    at: event.at,
    channel: "event",
    topic: event.type,
  };
}
