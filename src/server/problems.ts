import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { ArchiveUnavailableError } from "../archive/index.ts";
import { type Problem, type ProblemCode, problem } from "../core/index.ts";

/** An answer that is not a success: its status, the problems as values, and headers such as Retry-After. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly problems: Problem[],
    readonly headers: Record<string, string> = {},
  ) {
    super(problems.map((p) => p.code).join(", "));
    this.name = "HttpProblem";
  }

  static of(status: number, code: ProblemCode, message: string, at?: string, hint?: string): HttpProblem {
    return new HttpProblem(status, [problem(code, message, at, hint)]);
  }
}

/** Seconds a client waits before trying again when the archive's database cannot be reached. */
const ARCHIVE_RETRY_AFTER_S = 5;

/** Every error, ours or Fastify's, answers `{requestId, problems: [{code, message, at, hint}]}`. */
export function errorHandler(
  error: FastifyError | HttpProblem | ArchiveUnavailableError,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  if (error instanceof ArchiveUnavailableError) {
    request.log.warn({ err: error.cause }, error.message);
    error = archiveUnavailable(error);
  }
  const p = error instanceof HttpProblem ? error : fromFastify(error);
  if (p.status >= 500 && !(error instanceof HttpProblem)) request.log.error({ err: error }, "request failed");
  request.problemCodes = p.problems.map((x) => x.code);
  return reply
    .code(p.status)
    .headers(p.headers)
    .type("application/json; charset=utf-8")
    .send({ requestId: request.id, problems: p.problems });
}

/** A dependency that is down is a 503 naming it, with when to try again: not the server's failure. */
function archiveUnavailable(error: ArchiveUnavailableError): HttpProblem {
  return new HttpProblem(
    503,
    [problem("OMD_ARCHIVE_UNAVAILABLE", error.message, undefined, "retry after the delay in Retry-After")],
    { "retry-after": String(ARCHIVE_RETRY_AFTER_S) },
  );
}

function fromFastify(error: FastifyError): HttpProblem {
  if (error.validation) {
    const v = error.validation[0];
    const missing = v.keyword === "required" ? `/${(v.params as { missingProperty: string }).missingProperty}` : "";
    const pointer = `${v.instancePath}${missing}` || "/";
    const at = error.validationContext === "body" ? pointer : `${error.validationContext}${pointer}`;
    const reason = v.keyword === "required" ? "is required" : v.message;
    return HttpProblem.of(400, "OMD_API_BODY_INVALID", `${at} ${reason}`, at);
  }
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return HttpProblem.of(413, "OMD_API_BODY_TOO_LARGE", "the request body is larger than the server accepts");
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return HttpProblem.of(400, "OMD_INPUT_NOT_JSON", `the body is not valid JSON: ${error.message}`);
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return HttpProblem.of(status, "OMD_API_REQUEST_MALFORMED", error.message);
  return HttpProblem.of(500, "OMD_API_INTERNAL", "the server failed while answering", undefined, "see its log");
}
