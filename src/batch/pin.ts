import { readFileSync } from "node:fs";
import { isAbsolute, relative } from "node:path";
import { ProblemError, SECRET_VARIABLES, type SecretName, type World, sha256Hex } from "../core/index.ts";
import { ENGINE_DEFAULTS, type Engine, type EngineOptions, buildEngine } from "../engine.ts";
import { nodeWorld } from "../node-world.ts";

/** omnidoc's own version: two versions may paint the same template differently. */
const VERSION = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;

/**
 * An engine and the pins of its templates. A template's pin is the SHA-256 of everything a document of it is
 * made from: the template package's files, the catalogue, the theme, fonts and images as read, a fingerprint
 * of the signing keys (pay links and tokens are signed into the documents) and omnidoc's version. Two machines
 * with the same pin write the same bytes for the same customer; a worker whose pin differs from its run's
 * refuses the run's shards.
 */
export async function pinnedEngine(
  root: string,
  options: EngineOptions,
): Promise<{ engine: Engine; pinOf: (template: string) => string | undefined }> {
  const reads = new Map<string, string>();
  const world = recording(nodeWorld(root), root, reads);
  const built = await buildEngine(world, options);
  if (!built.ok) throw new ProblemError(built.problems);
  const engine = built.value;
  const templatesDir = relativeTo(root, options.templatesDir ?? ENGINE_DEFAULTS.templatesDir);
  const catalogue = relativeTo(root, options.catalogue ?? ENGINE_DEFAULTS.catalogue);
  const theme = relativeTo(root, options.theme ?? ENGINE_DEFAULTS.theme);
  const secrets = (Object.keys(SECRET_VARIABLES) as SecretName[]).map(
    (n) => `${n}\0${sha256Hex(world.secret(n) ?? "")}`,
  );
  // Files by their role, wherever they are: a worker given identical copies elsewhere (--templates,
  // --catalogue, --theme) writes the same bytes.
  const roleOf = (path: string) => {
    if (path.startsWith(`${templatesDir}/`)) return `templates:${path.slice(templatesDir.length + 1)}`;
    return path === catalogue ? "catalogue" : path === theme ? "theme" : path;
  };
  const pinOf = (template: string) => {
    if (!engine.templates.has(template)) return undefined;
    const others = [...engine.templates.keys()].filter((id) => id !== template).map((id) => `${templatesDir}/${id}/`);
    const parts = [...reads]
      .filter(([path]) => !others.some((dir) => path.startsWith(dir)))
      .map(([path, hash]) => [roleOf(path), hash])
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([path, hash]) => `${path}\0${hash}`);
    return sha256Hex([`omnidoc ${VERSION}`, ...parts, ...secrets].join("\n"));
  };
  return { engine, pinOf };
}

/** A World that notes the SHA-256 of every file read, under its path relative to the root. */
function recording(world: World, root: string, reads: Map<string, string>): World {
  return {
    ...world,
    readBytes: (path) => {
      const bytes = world.readBytes(path);
      reads.set(relativeTo(root, path), sha256Hex(bytes));
      return bytes;
    },
    readText: (path) => {
      const text = world.readText(path);
      reads.set(relativeTo(root, path), sha256Hex(text));
      return text;
    },
  };
}

/** A path as every machine names it: relative to the root (packages installed elsewhere by their own path). */
function relativeTo(root: string, path: string): string {
  if (!isAbsolute(path)) return path.replaceAll("\\", "/");
  const rel = relative(root, path);
  const installed = path.lastIndexOf("node_modules/");
  return (!rel.startsWith("..") ? rel : installed >= 0 ? path.slice(installed) : path).replaceAll("\\", "/");
}
