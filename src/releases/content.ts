import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ProblemError, problem, sha256Hex } from "../core/index.ts";
import type { EngineOptions } from "../engine.ts";
import { readEngineFiles } from "../engine-files.ts";
import { nodeWorld } from "../node-world.ts";
import type { ReleaseContent } from "./types.ts";

/**
 * The id of a listing of files (a release's content, a proof set): SHA-256 over the lines `path\0sha256`,
 * sorted by path, joined by newlines. A file's bytes, its name or one file more or less changes it.
 */
export function listingHash(files: readonly { path: string; sha256: string }[]): string {
  return sha256Hex(
    files
      .map((f) => `${f.path}\0${f.sha256}`)
      .sort()
      .join("\n"),
  );
}

/**
 * What a release of the template is made of, as the project's files are now: every file the engine reads for
 * it, under its release-folder path. Throws the engine's problems when the project does not build, and
 * OMD_TEMPLATE_NOT_FOUND for a template the project does not have.
 */
export async function readReleaseContent(
  root: string,
  options: EngineOptions,
  template: string,
): Promise<ReleaseContent> {
  const { engine, filesOf } = await readEngineFiles(nodeWorld(root), root, options);
  const files = filesOf(template);
  if (!files)
    throw new ProblemError([
      problem(
        "OMD_TEMPLATE_NOT_FOUND",
        `no template "${template}"`,
        undefined,
        `loaded templates: ${[...engine.templates.keys()].join(", ")}`,
      ),
    ]);
  const outside = files.find((f) => !isFolderPath(f.path));
  if (outside)
    throw new ProblemError([
      problem(
        "OMD_RELEASE_FOLDER",
        `${template} reads ${outside.path}, which lies outside the project folder, so a release folder cannot hold it`,
        outside.path,
        "keep fonts and images under the project folder (or an installed package) and name them relative to it",
      ),
    ]);
  return { template, hash: listingHash(files), files };
}

/**
 * A file of the content whose bytes do not match its hash, or whose path could leave the folder; or, when every
 * file is sound, the content's hash if it differs from the listing's. Undefined when all is as it says.
 */
export function contentFault(content: ReleaseContent): { path: string; why: string } | undefined {
  for (const f of content.files) {
    if (!isFolderPath(f.path)) return { path: f.path, why: "is not a path inside a release folder" };
    if (sha256Hex(f.bytes) !== f.sha256) return { path: f.path, why: `does not match its SHA-256 ${f.sha256}` };
  }
  const hash = listingHash(content.files);
  if (hash !== content.hash) return { path: "", why: `the files make release ${hash}, not ${content.hash}` };
  return undefined;
}

/**
 * Writes the content's files under `dir`, so that `buildEngine(nodeWorld(dir), RELEASE_FOLDER_ENGINE)` (engine-files.ts) builds
 * the engine the release was made from. Refuses a path that would leave the folder.
 */
export function materialise(content: ReleaseContent, dir: string): void {
  for (const f of content.files) {
    if (!isFolderPath(f.path))
      throw new ProblemError([
        problem("OMD_RELEASE_FOLDER", `release ${content.hash} names a file outside its folder: ${f.path}`, f.path),
      ]);
    const path = join(dir, f.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.bytes);
  }
}

/** A relative path of plain segments: no `..`, no absolute or drive path, no backslash. */
function isFolderPath(path: string): boolean {
  return (
    path !== "" &&
    !path.startsWith("/") &&
    !path.includes("\\") &&
    !/^[A-Za-z]:/.test(path) &&
    path.split("/").every((s) => s !== "" && s !== "." && s !== "..")
  );
}
