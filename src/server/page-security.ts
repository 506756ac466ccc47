import type { FastifyReply, FastifyRequest } from "fastify";
import type { ProblemCode } from "../core/index.ts";
import { HttpProblem } from "./problems.ts";

/**
 * A page the server serves to people (the studio, the agent's view) may load only what the server serves: no
 * CDN, no fonts or analytics from elsewhere, no inline script. Frames are the page's own email views.
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "frame-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * Customer HTML (an email) is untrusted: it is shown in an iframe with an empty `sandbox` attribute, and served
 * with a policy that allows no script, no request anywhere (images must be inline `data:`), and its own sandbox.
 */
export const EMAIL_CSP = [
  "default-src 'none'",
  "img-src data:",
  "style-src 'unsafe-inline'",
  "font-src data:",
  "frame-ancestors 'self'",
  "sandbox",
].join("; ");

export function securityHeaders(reply: FastifyReply, csp = PAGE_CSP): void {
  reply.header("content-security-policy", csp);
  reply.header("x-content-type-options", "nosniff");
  reply.header("referrer-policy", "no-referrer");
  reply.header("cross-origin-opener-policy", "same-origin");
  reply.header("cross-origin-resource-policy", "same-origin");
}

/**
 * The cookie a signed-in browser carries: a session token, readable by no script, sent to no other site and
 * to no other page of the server than the one (`path`) it signed in to. `Secure` whenever the browser came
 * over TLS: directly, or through a proxy the server trusts (`trustProxy`), which Fastify reads from
 * X-Forwarded-Proto only when it comes from that proxy.
 */
export function sessionCookie(
  cookie: { name: string; path: string },
  token: string,
  request: FastifyRequest,
  maxAgeSeconds: number,
): string {
  const secure = request.protocol === "https" ? "; Secure" : "";
  return `${cookie.name}=${token}; Path=${cookie.path}; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Methods that change nothing, which a page of any site may make a browser send. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses (403, `code`) a request that changes something (sign in, sign out, a search) when the browser says it
 * came from another site's page: Sec-Fetch-Site other than same-origin, or an Origin other than the server's
 * own. A client that is not a browser sends neither and is judged by its key alone.
 */
export function refuseForeignOrigin(request: FastifyRequest, page: string, code: ProblemCode): void {
  if (SAFE_METHODS.has(request.method)) return;
  const site = request.headers["sec-fetch-site"];
  const origin = request.headers.origin;
  const own = `${request.protocol}://${request.host}`;
  if ((site !== undefined && site !== "same-origin") || (origin !== undefined && origin !== own))
    throw HttpProblem.of(
      403,
      code,
      `the ${page} takes ${request.method} requests only from its own pages (${own})`,
      undefined,
      "behind a proxy, name it with --trust-proxy so the server knows the address the browser used",
    );
}
