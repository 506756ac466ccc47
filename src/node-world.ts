import { existsSync, readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { getEnvironmentData, setEnvironmentData } from "node:worker_threads";
import { SECRET_VARIABLES, type World, sha256Hex } from "./core/index.ts";

/**
 * The real World: files under a root directory, secrets from the environment (OMNIDOC_LINK_KEY,
 * OMNIDOC_TRACKING_KEY). A secret that is not set is undefined: there is no fallback anyone could read.
 */
export function nodeWorld(root = process.cwd(), env: NodeJS.ProcessEnv = process.env): World {
  const abs = (p: string) => resolve(root, p);
  return {
    readBytes: (p) => readFileSync(abs(p)),
    readText: (p) => readFileSync(abs(p), "utf8"),
    list: (dir) => (existsSync(abs(dir)) ? readdirSync(abs(dir)).sort() : []),
    exists: (p) => existsSync(abs(p)),
    resolve: abs,
    secret: (name) => env[SECRET_VARIABLES[name]],
    now: () => new Date(),
    sharedText,
  };
}

/**
 * Node's environment data holds what a thread made: every worker thread started afterwards receives a copy.
 * A billing run's main thread builds its engine before its render threads start, so they find its MJML
 * compiled and never load MJML (~15 MB of each thread's heap, and twice that in the room it grows into).
 */
async function sharedText(slot: string, input: string, make: (input: string) => Promise<string>): Promise<string> {
  const key = `omnidoc:${slot}`;
  const hash = sha256Hex(input);
  const kept = getEnvironmentData(key) as { hash: string; text: string } | undefined;
  if (kept?.hash === hash) return kept.text;
  const text = await make(input);
  setEnvironmentData(key, { hash, text });
  return text;
}
