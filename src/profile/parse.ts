import { type Result, fail, problem } from "../core/index.ts";
import type { Profile } from "./types.ts";
import { validateProfile } from "./validate.ts";

/** One NDJSON line (1-based `line`) to a valid profile, or the problem that names the line and the field. */
export function parseProfileLine(text: string, line: number): Result<Profile> {
  const where = `line ${line}`;
  if (text.trim() === "")
    return fail(problem("OMD_INPUT_EMPTY", "empty line where a customer record was expected", where));
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch (err) {
    return fail(problem("OMD_INPUT_NOT_JSON", `not valid JSON: ${(err as Error).message}`, where));
  }
  return validateProfile(record, where);
}

/** The id of a record, if it has a readable one, for reject reports. */
export function recordId(text: string): string | undefined {
  const m = /"id"\s*:\s*"([^"\\]{1,64})"/.exec(text);
  return m?.[1];
}
