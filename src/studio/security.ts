import type { FastifyReply, FastifyRequest } from "fastify";

/**
 * The studio page may load only what the studio serves: no CDN, no fonts or analytics from elsewhere, no inline
 * script. Frames are the studio's own email previews.
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

/** The cookie a signed-in browser carries: a session token, readable by no script and sent to no other site. */
export const SESSION_COOKIE = "omnidoc_studio";

export function sessionCookie(token: string, request: FastifyRequest, maxAgeSeconds: number): string {
  const secure = request.protocol === "https" ? "; Secure" : "";
  return `${SESSION_COOKIE}=${token}; Path=/studio; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
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
