import { type Problem, type Result, fail, ok } from "./problem.ts";

/**
 * An API body of one record or an array of 1 to `max` records, each checked by `check` at its JSON pointer in
 * the body (`/3`, "" for a lone record): the records, or every record's problems. `tooMany` words the refusal
 * of an empty or oversized array, at `/`.
 */
export function recordsOfBody<T>(
  body: unknown,
  max: number,
  tooMany: (message: string) => Problem,
  check: (record: unknown, prefix: string) => Result<T>,
): Result<T[]> {
  if (!Array.isArray(body)) {
    const r = check(body, "");
    return r.ok ? ok([r.value]) : r;
  }
  if (body.length === 0 || body.length > max) return fail(tooMany(`/ must hold 1 to ${max}`));
  const problems: Problem[] = [];
  const valid: T[] = [];
  body.forEach((record, i) => {
    const r = check(record, `/${i}`);
    if (r.ok) valid.push(r.value);
    else problems.push(...r.problems);
  });
  return problems.length > 0 ? fail(...problems) : ok(valid);
}

/** The pointer `inner` of a record (`/at`, or `/` for the record itself) placed at `prefix` of the body. */
export const pointerUnder = (prefix: string, inner: string): string =>
  prefix === "" ? inner : inner === "/" ? prefix : `${prefix}${inner}`;
