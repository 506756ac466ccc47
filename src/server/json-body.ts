import type { FastifyInstance } from "fastify";
import { HttpProblem } from "./problems.ts";

/**
 * Deepest nesting of arrays and objects a JSON body may have. A profile is about five levels deep; thousands
 * of levels make recursive code further on (validation, structured cloning to a worker) overflow its stack.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * The depth of a JSON text's deepest array or object, counted without parsing (and without recursion), so
 * a body too deep is refused before anything walks it. Brackets inside strings do not count.
 */
export function jsonDepth(text: string, stopAbove = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > deepest) deepest = depth;
      if (deepest > stopAbove) return deepest;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/** Fastify's own JSON parser (prototype keys dropped), behind a depth check that answers 400. */
export function limitJsonDepth(app: FastifyInstance, maxDepth = MAX_JSON_DEPTH): void {
  const parse = app.getDefaultJsonParser("remove", "remove");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    if (jsonDepth(body as string, maxDepth) > maxDepth)
      return done(
        HttpProblem.of(
          400,
          "OMD_API_BODY_TOO_DEEP",
          `the body nests arrays and objects more than ${maxDepth} levels deep`,
          "/",
          "send the fields the endpoint documents, without extra nesting",
        ),
        undefined,
      );
    parse(request, body as string, done);
  });
}
