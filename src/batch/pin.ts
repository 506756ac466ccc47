import { readFileSync } from "node:fs";
import { SECRET_VARIABLES, type SecretName, sha256Hex } from "../core/index.ts";
import type { Engine, EngineOptions } from "../engine.ts";
import { readEngineFiles } from "../engine-files.ts";
import { nodeWorld } from "../node-world.ts";

/** omnidoc's own version: two versions may paint the same template differently. */
const VERSION = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;

/**
 * An engine and the pins of its templates. A template's pin is the SHA-256 of everything a document of it is
 * made from: the files the engine read for it (engine-files.ts: the template package, the catalogue, the theme,
 * fonts and images, named by their role so identical copies elsewhere pin alike), a fingerprint of the signing
 * keys (pay links and tokens are signed into the documents) and omnidoc's version. Two machines with the same
 * pin write the same bytes for the same customer; a worker whose pin differs from its run's refuses the run's
 * shards.
 */
export async function pinnedEngine(
  root: string,
  options: EngineOptions,
): Promise<{ engine: Engine; pinOf: (template: string) => string | undefined }> {
  const world = nodeWorld(root);
  const { engine, filesOf } = await readEngineFiles(world, root, options);
  const secrets = (Object.keys(SECRET_VARIABLES) as SecretName[]).map(
    (n) => `${n}\0${sha256Hex(world.secret(n) ?? "")}`,
  );
  const pinOf = (template: string) => {
    const files = filesOf(template);
    if (!files) return undefined;
    const parts = files.map((f) => `${f.path}\0${f.sha256}`);
    return sha256Hex([`omnidoc ${VERSION}`, ...parts, ...secrets].join("\n"));
  };
  return { engine, pinOf };
}
