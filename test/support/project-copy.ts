import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildEngine, type Engine } from "../../src/engine.ts";
import { nodeWorld } from "../../src/node-world.ts";

const ROOT = resolve(import.meta.dirname, "../..");

/** An edit of one file of the copy, by its path in the project: the file's text in, the changed text out. */
export type Edits = Record<string, (text: string) => string>;

/**
 * A project root in a temporary folder: the repository's templates, catalogue and theme (fonts through a link
 * to node_modules), with `edits` applied. An edit that changes nothing fails, so a test never compares a
 * version with itself by mistake.
 */
export function projectCopy(edits: Edits = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "omnidoc-release-"));
  cpSync(join(ROOT, "templates"), join(dir, "templates"), { recursive: true });
  cpSync(join(ROOT, "samples/catalogue.yaml"), join(dir, "samples/catalogue.yaml"));
  cpSync(join(ROOT, "samples/theme.yaml"), join(dir, "samples/theme.yaml"));
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  for (const [path, edit] of Object.entries(edits)) {
    const before = readFileSync(join(dir, path), "utf8");
    const after = edit(before);
    if (after === before) throw new Error(`the edit of ${path} changes nothing`);
    writeFileSync(join(dir, path), after);
  }
  return dir;
}

/** The engine of a project root, built as `omnidoc` builds it there. */
export async function engineOf(root: string = ROOT): Promise<Engine> {
  const engine = await buildEngine(nodeWorld(root));
  if (!engine.ok) throw new Error(JSON.stringify(engine.problems));
  return engine.value;
}
