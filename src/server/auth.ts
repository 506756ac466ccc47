import type { FastifyReply, FastifyRequest } from "fastify";
import { type ApiKey, type KeyRing, type Scope, allows } from "./keys.ts";
import { HttpProblem } from "./problems.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The scope a key needs for this route; a route without one is public (health, metrics, docs). */
    scope?: Scope;
    /** The route renders through the pool: when its queue is full the request is refused before its body is read. */
    renders?: boolean;
  }
  interface FastifyRequest {
    apiKey?: ApiKey;
  }
}

/** `Authorization: Bearer <key>` or `X-API-Key: <key>`. */
function presentedKey(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  if (auth?.startsWith("Bearer ")) return auth.slice("Bearer ".length).trim();
  const header = request.headers["x-api-key"];
  return typeof header === "string" ? header.trim() : undefined;
}

/** Checks every request against its route's scope: 401 with no valid key, 403 when the key lacks the scope. */
export function authenticate(keys: KeyRing) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const scope = request.routeOptions.config?.scope;
    if (scope === undefined) return;
    const presented = presentedKey(request);
    const key = presented ? keys.authenticate(presented) : undefined;
    if (!key)
      throw new HttpProblem(
        401,
        [
          {
            code: "OMD_API_KEY_MISSING",
            message: "this endpoint needs an API key",
            hint: "send Authorization: Bearer <key>",
          },
        ],
        { "www-authenticate": 'Bearer realm="omnidoc"' },
      );
    request.apiKey = key;
    requireScope(request, scope);
  };
}

/** For a request that needs a second scope on top of its route's (rendering a customer from the archive). */
export function requireScope(request: FastifyRequest, scope: Scope): void {
  if (!request.apiKey || !allows(request.apiKey, scope))
    throw HttpProblem.of(
      403,
      "OMD_API_SCOPE_MISSING",
      `the API key "${request.apiKey?.name}" lacks the ${scope} scope`,
    );
}
