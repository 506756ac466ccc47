import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");

/** A package of two TypeScript modules beside a copy of src/compiled.mjs, with esbuild as its only package. */
function tinyPackage(): string {
  const dir = mkdtempSync(join(tmpdir(), "omnidoc-compiled-"));
  mkdirSync(join(dir, "src"));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(join(ROOT, "node_modules/esbuild"), join(dir, "node_modules/esbuild"));
  copyFileSync(join(ROOT, "src/compiled.mjs"), join(dir, "src/compiled.mjs"));
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  writeFileSync(join(dir, "tsconfig.json"), "{}\n");
  writeFileSync(join(dir, "src/word.ts"), 'export const word: string = "first";\n');
  writeFileSync(
    join(dir, "src/entry.ts"),
    'import { word } from "./word.ts";\nexport const where = import.meta.url;\nexport default word;\n',
  );
  return dir;
}

/** Imports the package's entry in a process of its own: what it exports, and the build it ran. */
function start(dir: string): { word: string; where: string; build: string } {
  const script =
    'import { importCompiled } from "./src/compiled.mjs";\n' +
    'const m = await importCompiled(new URL("./src/entry.ts", import.meta.url));\n' +
    "console.log(JSON.stringify({ word: m.default, where: m.where }));\n";
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: dir, encoding: "utf8" });
  expect(r.stderr).toBe("");
  const manifest = JSON.parse(readFileSync(join(dir, "node_modules/.cache/omnidoc/src+entry.ts.json"), "utf8"));
  return { ...JSON.parse(r.stdout), build: manifest.build };
}

describe("compiled sources", () => {
  const dir = tinyPackage();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("runs the sources as they are: a build is reused while its files are unchanged, made again when one changes", () => {
    const first = start(dir);
    expect(first.word).toBe("first");
    expect(start(dir)).toEqual(first);

    writeFileSync(join(dir, "src/word.ts"), 'export const word: string = "second";\n');
    const second = start(dir);
    expect(second.word).toBe("second");
    expect(second.build).not.toBe(first.build);
  });

  it("gives a module its source file's location, as tsx did", () => {
    expect(start(dir).where).toBe(pathToFileURL(join(dir, "src/entry.ts")).href);
  });

  it("builds again in a copy of the checkout made with its cache, which would otherwise run the original's files", () => {
    start(dir);
    const copy = `${dir}-copy`;
    cpSync(dir, copy, { recursive: true, verbatimSymlinks: true });
    try {
      expect(start(copy).where).toBe(pathToFileURL(join(copy, "src/entry.ts")).href);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
