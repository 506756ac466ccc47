import { type Result, fail, ok, problem } from "./problem.ts";
import type { SecretName, World } from "./world.ts";

/**
 * The secrets that sign what omnidoc puts in front of a customer: pay links, and the tokens of tracked and
 * unsubscribe links. Each is a ring of keys written `KID:SECRET[,KID:SECRET…]`: the first signs, every one
 * verifies, and every signed token names the key id it was made with, so a key is rotated by putting a new
 * one first and dropped once what it signed has expired. There is no default: without its variable, nothing
 * is signed.
 */
export interface SigningKey {
  /** Short and URL-safe: it travels in every link, SMS included. */
  readonly kid: string;
  readonly secret: string;
}

export interface SigningKeys {
  /** The key that signs: the first one written. */
  readonly signing: SigningKey;
  /** Every key that verifies, the signing one first. */
  readonly all: readonly SigningKey[];
}

/** The environment variable each secret is read from. */
export const SECRET_VARIABLES: Readonly<Record<SecretName, string>> = {
  linkKey: "OMNIDOC_LINK_KEY",
  trackingKey: "OMNIDOC_TRACKING_KEY",
};

/** What each secret signs, for the messages that ask for it. */
const SIGNS: Readonly<Record<SecretName, string>> = {
  linkKey: "pay links",
  trackingKey: "the customer tokens of tracked and unsubscribe links",
};

/** 32 characters of a random base64 secret carry 192 bits: well beyond guessing a 128-bit HMAC tag's key. */
export const MIN_SECRET_LENGTH = 32;

/** What a key id may be, and the words that say so. */
export const KEY_ID = /^[A-Za-z0-9_-]{1,16}$/;
export const KEY_ID_RULE = "1-16 letters, digits, - or _";

/** How to make a key, as the messages that ask for one say it. */
export function makeKeyHint(variable: string): string {
  return `make one with: export ${variable}="$(npx omnidoc signing-key)"`;
}

/** `KID:SECRET[,KID:SECRET…]` read into a ring; every problem names the variable and which entry is wrong. */
export function parseSigningKeys(text: string, variable: string): Result<SigningKeys> {
  const bad = (message: string) =>
    fail<SigningKeys>(problem("OMD_SIGNING_KEY_INVALID", `${variable}: ${message}`, variable, makeKeyHint(variable)));
  const all: SigningKey[] = [];
  for (const [i, entry] of text.split(",").entries()) {
    const colon = entry.indexOf(":");
    const kid = entry.slice(0, colon).trim();
    const secret = entry.slice(colon + 1).trim();
    if (colon < 0 || !KEY_ID.test(kid)) return bad(`entry ${i + 1} must be KID:SECRET, KID being ${KEY_ID_RULE}`);
    if (secret.length < MIN_SECRET_LENGTH)
      return bad(
        `the secret of key "${kid}" has ${secret.length} characters; at least ${MIN_SECRET_LENGTH} are needed`,
      );
    if (all.some((k) => k.kid === kid)) return bad(`two keys have the id "${kid}"`);
    all.push(Object.freeze({ kid, secret }));
  }
  return ok(Object.freeze({ signing: all[0], all: Object.freeze(all) }));
}

/** The ring a World holds for a secret; without one, a problem saying which variable to set and how. */
export function signingKeysOf(world: World, name: SecretName): Result<SigningKeys> {
  const variable = SECRET_VARIABLES[name];
  const text = world.secret(name);
  if (text === undefined || text.trim() === "")
    return fail(
      problem(
        "OMD_SIGNING_KEY_MISSING",
        `${variable} is not set: it signs ${SIGNS[name]}, and omnidoc has no default key`,
        undefined,
        makeKeyHint(variable),
      ),
    );
  return parseSigningKeys(text, variable);
}
