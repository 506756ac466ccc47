import { isAbsolute, relative } from "node:path";
import { ProblemError, type World, sha256Hex } from "./core/index.ts";
import { ENGINE_DEFAULTS, type Engine, type EngineOptions, buildEngine } from "./engine.ts";

/** One file the engine read, named by its place in a release folder. */
export interface EngineFile {
  path: string;
  sha256: string;
  bytes: Uint8Array;
}

/** An engine and, per template, the files its documents are made from. */
export interface EngineFiles {
  engine: Engine;
  /**
   * Every file a document of the template is made from (its package, the catalogue, the theme, fonts and images
   * as read), sorted by path; undefined for a template the engine does not have. Paths are those of a release
   * folder: `templates/<id>/…`, `catalogue.yaml`, `theme.yaml`, and any other file by its path relative to the
   * root (a package installed elsewhere by its `node_modules/…` path), so two copies of the same files in
   * different places give the same list.
   */
  filesOf(template: string): EngineFile[] | undefined;
}

/** Where a release folder keeps the catalogue and the theme: what an engine built from one is given. */
export const RELEASE_FOLDER_ENGINE = { templatesDir: "templates", catalogue: "catalogue.yaml", theme: "theme.yaml" };

/**
 * Builds the engine through a World that records every file read. The theme's fonts are read once more after
 * the build: a font already loaded in this process (a chart font registered by an earlier build) is not read
 * again, yet a document of the template still needs it.
 */
export async function readEngineFiles(world: World, root: string, options: EngineOptions): Promise<EngineFiles> {
  const reads = new Map<string, { sha256: string; bytes: Uint8Array }>();
  const note = (path: string, bytes: Uint8Array) =>
    reads.set(relativeTo(root, path), { sha256: sha256Hex(bytes), bytes });
  const recording: World = {
    ...world,
    readBytes: (path) => {
      const bytes = world.readBytes(path);
      note(path, bytes);
      return bytes;
    },
    readText: (path) => {
      const text = world.readText(path);
      note(path, Buffer.from(text, "utf8"));
      return text;
    },
  };
  const built = await buildEngine(recording, options);
  if (!built.ok) throw new ProblemError(built.problems);
  const engine = built.value;
  const { body, bold, italic, boldItalic } = engine.theme.fonts;
  for (const font of [body, bold, italic, boldItalic]) if (font !== undefined) recording.readBytes(font);

  const catalogue = relativeTo(root, options.catalogue ?? ENGINE_DEFAULTS.catalogue);
  const theme = relativeTo(root, options.theme ?? ENGINE_DEFAULTS.theme);
  const packages = [...engine.templates].map(([id, t]) => ({ id, dir: `${relativeTo(root, t.pkg.dir)}/` }));
  const filesOf = (template: string): EngineFile[] | undefined => {
    if (!engine.templates.has(template)) return undefined;
    const files: EngineFile[] = [];
    for (const [path, read] of reads) {
      const owner = packages.find((p) => path.startsWith(p.dir));
      if (owner && owner.id !== template) continue;
      const place = owner
        ? `templates/${owner.id}/${path.slice(owner.dir.length)}`
        : path === catalogue
          ? RELEASE_FOLDER_ENGINE.catalogue
          : path === theme
            ? RELEASE_FOLDER_ENGINE.theme
            : path;
      files.push({ path: place, ...read });
    }
    return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  };
  return { engine, filesOf };
}

/** A path as every machine names it: relative to the root (packages installed elsewhere by their own path). */
function relativeTo(root: string, path: string): string {
  if (!isAbsolute(path)) return path.replaceAll("\\", "/");
  const rel = relative(root, path);
  const installed = path.lastIndexOf("node_modules/");
  return (!rel.startsWith("..") ? rel : installed >= 0 ? path.slice(installed) : path).replaceAll("\\", "/");
}
