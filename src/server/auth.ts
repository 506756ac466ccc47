import type { FastifyReply, FastifyRequest } from "fastify";
import { type ApiKey, type KeyRing, type Scope, allows } from "./keys.ts";
import { problem } from "../core/index.ts";
import type { AuthThrottle } from "./auth-throttle.ts";
import { HttpProblem } from "./problems.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /**
     * The scope a key needs for this route, or any one of a list of them; a route without one is public
     * (health, metrics, docs).
     */
    scope?: Scope | readonly Scope[];
    /** The route renders through the pool: when its queue is full the request is refused before its body is read. */
    renders?: boolean;
  }
  interface FastifyRequest {
    apiKey?: ApiKey;
  }
}

/** `Authorization: Bearer <key>`, the scheme in any case (RFC 7235 §2.1), or `X-API-Key: <key>`. */
function presentedKey(request: FastifyRequest): string | undefined {
  const bearer = /^bearer[ \t]+(.+)$/i.exec(request.headers.authorization ?? "");
  if (bearer) return bearer[1].trim() || undefined;
  const header = request.headers["x-api-key"];
  return typeof header === "string" ? header.trim() || undefined : undefined;
}

/**
 * Checks every request against its route's scope: 401 with no key (OMD_API_KEY_MISSING) or a key the server
 * does not hold (OMD_API_KEY_UNKNOWN), 403 when the key lacks the scope, and 429 from an address that failed
 * too often lately. A key is looked up the same way whether or not it exists, so the two 401s take as long.
 */
export function authenticate(keys: KeyRing, throttle: AuthThrottle) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const scope = request.routeOptions.config?.scope;
    if (scope === undefined) return;
    const wait = throttle.retryAfter(request.ip);
    if (wait > 0)
      throw new HttpProblem(
        429,
        [
          problem(
            "OMD_API_AUTH_THROTTLED",
            "too many requests from this address failed authentication",
            undefined,
            `try again in ${wait} s`,
          ),
        ],
        { "retry-after": String(wait) },
      );
    const presented = presentedKey(request);
    if (presented === undefined)
      throw new HttpProblem(
        401,
        [
          problem(
            "OMD_API_KEY_MISSING",
            "this endpoint needs an API key",
            undefined,
            "send Authorization: Bearer <key>",
          ),
        ],
        { "www-authenticate": 'Bearer realm="omnidoc"' },
      );
    const key = keys.authenticate(presented);
    if (!key) {
      throttle.fail(request.ip);
      throw new HttpProblem(
        401,
        [
          problem(
            "OMD_API_KEY_UNKNOWN",
            "the API key is not one this server accepts",
            undefined,
            "check it was copied whole; a revoked key stays refused",
          ),
        ],
        { "www-authenticate": 'Bearer realm="omnidoc", error="invalid_token"' },
      );
    }
    request.apiKey = key;
    requireScope(request, scope);
  };
}

/**
 * For a request that needs a second scope on top of its route's (rendering a customer from the archive), and
 * for the route's own: one scope, or any one of a list.
 */
export function requireScope(request: FastifyRequest, scope: Scope | readonly Scope[]): void {
  const scopes: readonly Scope[] = typeof scope === "string" ? [scope] : scope;
  const key = request.apiKey;
  if (!key || !scopes.some((s) => allows(key, s)))
    throw HttpProblem.of(
      403,
      "OMD_API_SCOPE_MISSING",
      `the API key "${key?.name}" lacks the ${scopes.join(" or ")} scope`,
    );
}
