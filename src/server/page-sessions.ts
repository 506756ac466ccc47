import { randomBytes } from "node:crypto";
import { sha256Hex } from "../core/index.ts";

/**
 * Browser sessions of the studio. A person signs in once with an API key (checked by the API's own
 * authentication, `preview` scope); the browser then carries a random session token in an HttpOnly, SameSite=Strict
 * cookie scoped to /studio, so page images, email frames and the event stream (which cannot send headers) are
 * authenticated without the key ever being stored in the browser. Only token hashes are kept, in memory.
 */
export class Sessions {
  private readonly live = new Map<string, { key: string; expires: number }>();

  constructor(
    private readonly ttlMs = 12 * 3600 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new session for the named API key; the token goes to the browser and nowhere else. */
  open(keyName: string): string {
    const token = randomBytes(32).toString("base64url");
    this.live.set(sha256Hex(token), { key: keyName, expires: this.now() + this.ttlMs });
    for (const [h, s] of this.live) if (s.expires <= this.now()) this.live.delete(h);
    return token;
  }

  /** The API key name behind a live session, or undefined. */
  check(token: string | undefined): string | undefined {
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
