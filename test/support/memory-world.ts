import { existsSync, readdirSync, readFileSync } from "node:fs";
import { posix, resolve } from "node:path";
import { SECRET_VARIABLES, type World } from "../../src/core/index.ts";
import { TEST_SIGNING_ENV } from "./signing-keys.ts";

/** The project's root, for worlds that read the files a test does not give from the repository. */
export const PROJECT_ROOT = new URL("../..", import.meta.url).pathname;

export interface MemoryWorldOptions {
  /** Files by project-relative path, text or bytes; they stand in front of any seeded file of that path. */
  files?: Readonly<Record<string, string | Uint8Array>>;
  /** A directory whose files are read when first asked for and not in `files` (fonts, templates); none when absent. */
  seedFrom?: string;
  /** What `now()` answers, always. */
  now?: Date;
}

/** The clock every memory world answers with (its secrets are the test suite's), so what it composes is the same on every run. */
export const MEMORY_WORLD_NOW = new Date("2026-11-01T09:00:00Z");

/** Project-relative form of a path: `./a//b/` and `a/b` name the same file. */
const normal = (path: string): string => posix.normalize(path).replace(/^\.\/|\/$/g, "");

/**
 * An in-memory World over a map of files: a test gives the files it changes (a theme, a catalogue) and, with
 * `seedFrom`, reads every other one from the project on demand. The clock and the secrets are fixed.
 */
export function memoryWorld(options: MemoryWorldOptions = {}): World {
  const files = new Map<string, Uint8Array>();
  for (const [path, content] of Object.entries(options.files ?? {}))
    files.set(normal(path), typeof content === "string" ? new TextEncoder().encode(content) : content);
  const given = new Set(files.keys());
  const seed = options.seedFrom;
  const seeded = (path: string) => (seed === undefined ? undefined : resolve(seed, path));
  const now = options.now ?? MEMORY_WORLD_NOW;

  const readBytes = (path: string): Uint8Array => {
    const p = normal(path);
    let bytes = files.get(p);
    if (!bytes) {
      const real = seeded(p);
      if (!real || !existsSync(real)) throw new Error(`ENOENT: the memory world has no file ${p}`);
      bytes = new Uint8Array(readFileSync(real));
      files.set(p, bytes);
    }
    return bytes;
  };

  const isDirectory = (dir: string): boolean => {
    const prefix = dir === "." ? "" : `${dir}/`;
    return [...files.keys()].some((f) => f.startsWith(prefix));
  };

  return {
    readBytes,
    readText: (path) => new TextDecoder().decode(readBytes(path)),
    list(dir) {
      const d = normal(dir);
      const prefix = d === "." ? "" : `${d}/`;
      const names = new Set<string>();
      for (const f of files.keys()) if (f.startsWith(prefix)) names.add(f.slice(prefix.length).split("/")[0]);
      const real = seeded(d);
      if (real && existsSync(real)) for (const name of readdirSync(real)) names.add(name);
      return [...names].sort();
    },
    exists(path) {
      const p = normal(path);
      const real = seeded(p);
      return files.has(p) || isDirectory(p) || (real !== undefined && existsSync(real));
    },
    // A file the test gave lives under /memory, a seeded one keeps its real path: a font cache keys on this.
    resolve(path) {
      const p = normal(path);
      return (given.has(p) ? undefined : seeded(p)) ?? posix.join("/memory", p);
    },
    secret: (name) => TEST_SIGNING_ENV[SECRET_VARIABLES[name] as keyof typeof TEST_SIGNING_ENV],
    now: () => new Date(now),
  };
}
