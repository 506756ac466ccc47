import { existsSync, readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { World } from "./core/index.ts";

/**
 * The real World: files under a root directory, secrets from the environment. Without
 * OMNIDOC_LINK_KEY / OMNIDOC_TRACKING_KEY a fixed development key is used, which is fine for samples only.
 */
export function nodeWorld(root = process.cwd(), env: NodeJS.ProcessEnv = process.env): World {
  const abs = (p: string) => resolve(root, p);
  return {
    readBytes: (p) => readFileSync(abs(p)),
    readText: (p) => readFileSync(abs(p), "utf8"),
    list: (dir) => (existsSync(abs(dir)) ? readdirSync(abs(dir)).sort() : []),
    exists: (p) => existsSync(abs(p)),
    resolve: abs,
    secret: (name) =>
      (name === "linkKey" ? env.OMNIDOC_LINK_KEY : env.OMNIDOC_TRACKING_KEY) ?? `omnidoc-development-${name}`,
    now: () => new Date(),
  };
}
