import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Archive } from "../archive/index.ts";
import { ProblemError, problem, sha256Hex } from "../core/index.ts";
import { contentFault, materialise } from "./content.ts";
import type { Release, ReleaseContent, ReleaseFile } from "./types.ts";

/**
 * Production mode composes only with released versions: each template's release comes from the archive and
 * is written out to a folder the engine is built from (engine-files.ts RELEASE_FOLDER_ENGINE), whatever the
 * project's own files say now.
 */

/** The template's released release; OMD_RELEASE_REQUIRED when it has none. */
export async function releasedRelease(archive: Archive, template: string): Promise<Release> {
  const [released] = await archive.releases({ template, state: "released" });
  if (!released)
    throw new ProblemError([
      problem(
        "OMD_RELEASE_REQUIRED",
        `${template} has no released version: production mode composes only with one`,
        template,
        "propose, approve and publish a release (omnidoc release), or run without --require-released",
      ),
    ]);
  return released;
}

/** A release's content from the archive, checked against its hashes. */
async function checkedContent(archive: Archive, id: string): Promise<ReleaseContent> {
  const content = await archive.releaseContent(id);
  if (!content) throw new ProblemError([problem("OMD_RELEASE_UNKNOWN", `the archive holds no release ${id}`, id)]);
  const fault = contentFault(content);
  if (fault)
    throw new ProblemError([
      problem("OMD_RELEASE_FOLDER", `release ${id} as the archive holds it: ${fault.path} ${fault.why}`, fault.path),
    ]);
  return content;
}

/**
 * The release's files under `cache/<id>`, written once: the folder is named by its content, so one that exists
 * is complete (it is written beside and renamed into place), and runs and restarts share it.
 */
export async function releaseFolder(archive: Archive, id: string, cache: string): Promise<string> {
  return folderOnce(cache, id, async () => [await checkedContent(archive, id)]);
}

/**
 * Every template's released release in one folder, as one server composes with them: the templates side by
 * side with the one catalogue, theme and fonts they share. Releases that disagree about a shared file
 * (proofed with another catalogue) stop with OMD_RELEASE_MIXED, naming both.
 */
export async function releasedFolder(
  archive: Archive,
  cache: string,
): Promise<{ dir: string; releases: Map<string, Release> }> {
  const releases = new Map((await archive.releases({ state: "released" })).map((r) => [r.template, r]));
  const ids = [...releases.values()].map((r) => r.id).sort();
  const dir = await folderOnce(cache, `released-${sha256Hex(ids.join("\n"))}`, async () => {
    const contents = await Promise.all(ids.map((id) => checkedContent(archive, id)));
    const shared = new Map<string, { file: ReleaseFile; template: string }>();
    for (const content of contents)
      for (const file of content.files) {
        const first = shared.get(file.path);
        if (first && first.file.sha256 !== file.sha256)
          throw new ProblemError([
            problem(
              "OMD_RELEASE_MIXED",
              `the released ${first.template} and ${content.template} hold different ${file.path}`,
              file.path,
              "propose and publish one of them again with the files of the other",
            ),
          ]);
        shared.set(file.path, { file, template: content.template });
      }
    return contents;
  });
  return { dir, releases };
}

async function folderOnce(cache: string, name: string, contents: () => Promise<ReleaseContent[]>): Promise<string> {
  const dir = join(cache, name);
  if (existsSync(dir)) return dir;
  const partial = join(cache, `${name}.partial-${process.pid}`);
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  for (const content of await contents()) materialise(content, partial);
  try {
    renameSync(partial, dir);
  } catch (err) {
    // Another process put the same content there first.
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(dir)) throw err;
  }
  return dir;
}
