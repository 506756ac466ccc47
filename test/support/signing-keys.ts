import { type SigningKeys, parseSigningKeys } from "../../src/core/index.ts";
import type { LinkKeys } from "../../src/view/index.ts";

/**
 * The signing keys of the test suite, set explicitly: fixed, so that what a test composes is the same on every
 * run, and known only here. `setup-signing-keys.ts` puts them in every test file's environment (and so in the
 * worker threads and commands a test starts); a test of what happens without keys takes them out itself.
 */
export const TEST_SIGNING_ENV = {
  OMNIDOC_LINK_KEY: "test:link-key-of-the-test-suite-0123456789",
  OMNIDOC_TRACKING_KEY: "test:tracking-key-of-the-test-suite-012345",
} as const;

/** A ring from its written form; a test's own keys are always well formed. */
export function signingKeys(text: string): SigningKeys {
  const r = parseSigningKeys(text, "test");
  if (!r.ok) throw new Error(r.problems[0].message);
  return r.value;
}

export const TEST_KEYS: LinkKeys = {
  link: signingKeys(TEST_SIGNING_ENV.OMNIDOC_LINK_KEY),
  tracking: signingKeys(TEST_SIGNING_ENV.OMNIDOC_TRACKING_KEY),
};

/** The environment of this process without any signing key: what a command sees when none is configured. */
export function envWithoutSigningKeys(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(TEST_SIGNING_ENV)) delete env[name];
  return env;
}
