import { randomBytes } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { type ProblemCode, sha256Hex } from "../core/index.ts";
import { type ApiKey, type Scope, allows } from "./keys.ts";
import { readCookie, refuseForeignOrigin, securityHeaders, sessionCookie } from "./page-security.ts";
import { HttpProblem } from "./problems.ts";

/**
 * Browser sessions of a page the server serves to people (the studio, the agent's view). A person signs in once
 * with an API key (checked by the API's own authentication, with the page's scope); the browser then carries a
 * random session token in an HttpOnly, SameSite=Strict cookie scoped to the page's path, so images, email
 * frames and event streams (which cannot send headers) are authenticated without the key ever being stored in
 * the browser. Only token hashes are kept, in memory.
 */
export class Sessions {
  private readonly live = new Map<string, { key: ApiKey; expires: number }>();

  constructor(
    private readonly ttlMs = 12 * 3600 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new session for an API key; the token goes to the browser and nowhere else. */
  open(key: ApiKey): string {
    const token = randomBytes(32).toString("base64url");
    this.live.set(sha256Hex(token), { key, expires: this.now() + this.ttlMs });
    for (const [h, s] of this.live) if (s.expires <= this.now()) this.live.delete(h);
    return token;
  }

  /** The API key behind a live session, or undefined. */
  check(token: string | undefined): ApiKey | undefined {
    if (!token) return undefined;
    const s = this.live.get(sha256Hex(token));
    return s && s.expires > this.now() ? s.key : undefined;
  }

  close(token: string | undefined): void {
    if (token) this.live.delete(sha256Hex(token));
  }

  get ttlSeconds(): number {
    return Math.floor(this.ttlMs / 1000);
  }
}

export interface SignedInPage {
  /** What the page is called in problems: `studio`, `agent view`. */
  title: string;
  /** The page's path (`/studio`): its cookie is sent to nothing else. */
  path: string;
  cookie: string;
  /** The scope a key needs to sign in. */
  scope: Scope;
  /** Problems of the page: a request with no live session, and one that changes something from another site. */
  codes: { sessionMissing: ProblemCode; originForeign: ProblemCode };
}

/**
 * Mounts a signed-in page's security on `app` (registered under the page's prefix): its headers on every answer,
 * requests that change something only from its own pages, and `POST`/`DELETE api/session` to sign in and out.
 * Returns the hook that guards the page's data: a request without a live session is refused 401; one with a
 * session is made in the name of the key that opened it (`request.apiKey`), which the log and audit trail name.
 * A session lasts only as long as its key: once the key is taken out of the server's keys (or loses the
 * page's scope), its sessions end at their next request.
 */
export function signedInPage(app: FastifyInstance, page: SignedInPage) {
  const sessions = new Sessions();
  const cookie = { name: page.cookie, path: page.path };
  app.addHook("onRequest", async (request, reply) => {
    securityHeaders(reply);
    refuseForeignOrigin(request, page.title, page.codes.originForeign);
  });
  /** Signs the browser in: the API checks the key and the page's scope; the browser gets a session cookie. */
  app.post("/api/session", { config: { scope: page.scope } }, async (req, reply) => {
    const token = sessions.open(req.apiKey!);
    reply
      .header("cache-control", "no-store")
      .header("set-cookie", sessionCookie(cookie, token, req, sessions.ttlSeconds));
    return { signedIn: true };
  });
  app.delete("/api/session", async (req, reply) => {
    sessions.close(readCookie(req.headers.cookie, page.cookie));
    return reply.header("set-cookie", sessionCookie(cookie, "", req, 0)).send({ signedIn: false });
  });
  return async (request: FastifyRequest): Promise<void> => {
    const token = readCookie(request.headers.cookie, page.cookie);
    const opened = sessions.check(token);
    // The key as the server holds it now: taken out, or without the page's scope any more, it ends the session.
    const key = opened && app.keyRing.current(opened);
    if (!key || !allows(key, page.scope)) {
      sessions.close(token);
      throw HttpProblem.of(
        401,
        page.codes.sessionMissing,
        `sign in to the ${page.title} first`,
        undefined,
        `POST ${page.path}/api/session with an API key that has the ${page.scope} scope`,
      );
    }
    request.apiKey = key;
  };
}
