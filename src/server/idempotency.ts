import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Archive, RequestClaim } from "../archive/index.ts";
import { problem, sha256OfFields } from "../core/index.ts";
import { HttpProblem } from "./problems.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The route creates something: an `Idempotency-Key` header makes a retry give the first answer again. */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    /** The idempotency key this request holds until it answers. */
    idempotency?: { keyName: string; key: string };
  }
}

/** How long a first answer is given again, as Stripe keeps it. */
const KEEP_MS = 24 * 60 * 60 * 1000;
/** Headers that are part of the answer; the rest (date, length, request id) belong to each response. */
const ANSWER_HEADERS = /^(content-type|omnidoc-.+)$/;
/** Answers a retry must not get again: the failure may be gone by then. */
const RETRYABLE = (status: number) => status >= 500 || status === 429;

export interface IdempotencyOptions {
  archive: Archive;
  now: () => Date;
  /** How long a request may hold its key without answering (a crash) before another may take it over. */
  holdMs: number;
}

/**
 * `Idempotency-Key` on routes with `config.idempotent`: the first request with a key claims it in the archive
 * (one of concurrent claims wins), runs, and its answer is kept; a retry with the same key and the same request
 * gets that answer again with `Idempotent-Replayed: true`, one with another body 409, one while the first is
 * still running 409 with Retry-After. Keys are scoped per API key. A 5xx answer lets the key go.
 */
export function idempotentRequests(app: FastifyInstance, o: IdempotencyOptions): void {
  app.decorateRequest("idempotency", undefined);
  app.addHook("preHandler", async (request, reply) => {
    const key = request.headers["idempotency-key"];
    if (!request.routeOptions.config?.idempotent || typeof key !== "string" || !request.apiKey) return;
    const now = o.now();
    const claim: RequestClaim = {
      keyName: request.apiKey.name,
      idempotencyKey: key,
      requestHash: requestHash(request),
      now: now.toISOString(),
      expires: new Date(now.getTime() + o.holdMs).toISOString(),
    };
    const held = await o.archive.claimRequest(claim);
    if (held.claimed) {
      request.idempotency = { keyName: claim.keyName, key };
      return;
    }
    if (held.requestHash !== claim.requestHash)
      throw HttpProblem.of(
        409,
        "OMD_API_IDEMPOTENCY_KEY_REUSED",
        `the Idempotency-Key "${key}" was already used for a different request`,
        "headers/idempotency-key",
        "use a new key for a new request; reuse a key only to retry the same request",
      );
    if (!held.response)
      throw new HttpProblem(
        409,
        [
          problem(
            "OMD_API_IDEMPOTENCY_IN_FLIGHT",
            `a request with the Idempotency-Key "${key}" is still being answered`,
            "headers/idempotency-key",
            "retry after the delay in Retry-After to get its answer",
          ),
        ],
        { "retry-after": "1" },
      );
    const r = held.response;
    return reply
      .code(r.status)
      .headers(r.headers)
      .header("idempotent-replayed", "true")
      .send(Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength));
  });

  app.addHook("onSend", async (request, reply, payload) => {
    const held = request.idempotency;
    if (!held) return payload;
    request.idempotency = undefined;
    const body = typeof payload === "string" ? Buffer.from(payload) : payload instanceof Buffer ? payload : undefined;
    try {
      if (RETRYABLE(reply.statusCode) || !body) await o.archive.releaseRequest(held.keyName, held.key);
      else
        await o.archive.answerRequest(
          held.keyName,
          held.key,
          { status: reply.statusCode, headers: answerHeaders(reply.getHeaders()), body },
          new Date(o.now().getTime() + KEEP_MS).toISOString(),
        );
    } catch (e) {
      // The answer stands; the key is held until `holdMs` passes, then a retry runs afresh.
      request.log.warn({ err: e }, "idempotency key not settled");
    }
    return payload;
  });
}

/** What the request asks: a retry must ask exactly this to be given the first answer. */
function requestHash(request: FastifyRequest): string {
  return sha256OfFields([request.method, request.routeOptions.url ?? "", JSON.stringify(request.body ?? null)]);
}

function answerHeaders(headers: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers)
      .filter(([name, value]) => ANSWER_HEADERS.test(name) && value !== undefined)
      .map(([name, value]) => [name, String(value)]),
  );
}
