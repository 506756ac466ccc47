import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Result, fail, problem } from "../core/index.ts";
import { type Engine, type EngineOptions, buildEngine } from "../engine.ts";
import { RELEASE_FOLDER_ENGINE } from "../engine-files.ts";
import { nodeWorld } from "../node-world.ts";

/**
 * The engine of the version a change is measured against, from a folder: an exported release (its files
 * under `files/`), a release folder itself (`catalogue.yaml` and `templates/` side by side), or a project root
 * laid out as this one (`templates/`, `samples/catalogue.yaml`, `samples/theme.yaml`), such as a checkout of the
 * released commit. Fonts are read where the folder names them (a release folder carries its own).
 */
export async function engineOfFolder(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<Result<Engine>> {
  const root = resolve(dir);
  const layout = folderLayout(root);
  if (!layout)
    return fail(
      problem(
        "OMD_RELEASE_FOLDER",
        `${dir} holds neither a release (files/, or catalogue.yaml beside templates/) nor a project (templates/)`,
        dir,
        "name an exported release folder or the root of a project at the released version",
      ),
    );
  return buildEngine(nodeWorld(layout.root, env), layout.options);
}

function folderLayout(root: string): { root: string; options: EngineOptions } | undefined {
  const files = join(root, "files");
  if (existsSync(join(files, RELEASE_FOLDER_ENGINE.catalogue))) return { root: files, options: RELEASE_FOLDER_ENGINE };
  if (!existsSync(join(root, RELEASE_FOLDER_ENGINE.templatesDir))) return undefined;
  if (existsSync(join(root, RELEASE_FOLDER_ENGINE.catalogue))) return { root, options: RELEASE_FOLDER_ENGINE };
  return { root, options: {} };
}
