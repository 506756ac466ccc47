import { LRUCache } from "lru-cache";

export interface AuthThrottleOptions {
  /** Failed authentications an address may make within a window before it is refused for the rest of it. */
  failures: number;
  windowMs: number;
}

export const AUTH_THROTTLE_DEFAULTS: AuthThrottleOptions = { failures: 10, windowMs: 60_000 };

/** Addresses remembered at most: an attacker with more addresses evicts the oldest, memory stays bounded. */
const ADDRESSES = 10_000;

/**
 * Failed authentications per client address, in a window that starts at the first failure. Once an address has
 * failed `failures` times, every authenticated request from it is refused until the window ends, the right key
 * included: otherwise guessing would go on at full speed with only the answers changed.
 */
export class AuthThrottle {
  private readonly failed: LRUCache<string, number>;

  constructor(private readonly options: AuthThrottleOptions = AUTH_THROTTLE_DEFAULTS) {
    this.failed = new LRUCache({ max: ADDRESSES, ttl: options.windowMs });
  }

  /** Whole seconds until the address may try again; 0 when it may now. */
  retryAfter(address: string): number {
    if ((this.failed.get(address) ?? 0) < this.options.failures) return 0;
    return Math.max(1, Math.ceil(this.failed.getRemainingTTL(address) / 1000));
  }

  fail(address: string): void {
    // The window runs from the first failure: counting more does not extend it.
    this.failed.set(address, (this.failed.get(address) ?? 0) + 1, { noUpdateTTL: true });
  }
}
