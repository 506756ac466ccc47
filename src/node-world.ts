import { existsSync, readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { SECRET_VARIABLES, type World } from "./core/index.ts";

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
  };
}
