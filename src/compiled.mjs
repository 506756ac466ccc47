// The command line and every render thread import their TypeScript entry module as one compiled esbuild bundle.
// Through tsx, each thread paid for a module loader thread of its own and every module's transformed text with
// an inline source map: ~40 MB of RSS a thread, and more CPU to start one. A bundle is kept under
// node_modules/.cache/omnidoc and used only while every file it was built from has the same content, so what
// runs is always the checkout's sources; a changed file makes the next start build again (~0.5 s).
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CACHE = join(ROOT, "node_modules/.cache/omnidoc");
/** Files besides the bundle's own that decide its bytes: the compiler's settings, its version, its options here. */
const SETTINGS = ["tsconfig.json", "node_modules/esbuild/package.json", relative(ROOT, fileURLToPath(import.meta.url))];
/**
 * What decides a build's bytes besides its files: the Node version it is compiled for, and where the checkout is
 * (a module's location is written into the bundle), so a checkout copied elsewhere with its node_modules builds
 * its own instead of running the original's files.
 */
const RECIPE = `node${process.versions.node} ${ROOT}`;
/** A build no manifest names any more is removed once unused this long (a running process may still need it). */
const UNUSED_MS = 24 * 3600_000;

/**
 * Imports `source`, a TypeScript module of this package (a file: URL), from its compiled bundle, building the bundle
 * first when a file it is made from has changed. Where no bundle can be had (the cache is not writable), it
 * says why and runs the sources through tsx as before.
 */
export async function importCompiled(source) {
  let bundle;
  try {
    bundle = await compiled(fileURLToPath(source));
  } catch (err) {
    process.emitWarning(`running the TypeScript sources through tsx: ${err.message}`, "OmnidocCompiledSources");
    const { register } = await import("tsx/esm/api");
    register();
    return import(source.href);
  }
  return import(pathToFileURL(bundle).href);
}

/** The path of the bundle of `entry` (an absolute path), fresh. */
async function compiled(entry) {
  const name = relative(ROOT, entry);
  if (name.startsWith("..")) throw new Error(`${entry} is not in ${ROOT}`);
  const manifestPath = join(CACHE, `${name.replaceAll("/", "+")}.json`);
  const kept = readManifest(manifestPath);
  if (kept && isFresh(kept)) {
    const dir = join(CACHE, kept.build);
    markUsed(dir);
    return join(dir, kept.entry);
  }
  const made = await build(entry);
  writeAtomically(manifestPath, JSON.stringify(made));
  prune();
  return join(CACHE, made.build, made.entry);
}

/** Pruning leaves a build to the processes that started from it lately: they may still load its chunks. */
function markUsed(dir) {
  const now = new Date();
  try {
    utimesSync(dir, now, now);
  } catch {
    // A cache that cannot be written to is still read from.
  }
}

function readManifest(path) {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}

const isFresh = (manifest) =>
  manifest.recipe === RECIPE && Object.entries(manifest.inputs).every(([file, hash]) => hashOf(file) === hash);

function hashOf(file) {
  try {
    return createHash("sha256")
      .update(readFileSync(join(ROOT, file)))
      .digest("base64url");
  } catch {
    return undefined;
  }
}

/**
 * Bundles `entry` and the package's own modules it imports (packages stay imports, resolved from node_modules as before),
 * dynamic imports as chunks loaded when first needed. The build is written to a folder named by the hash of
 * its inputs and never changed afterwards: processes that start together may build it at once, and a running
 * one may load a chunk of it long after a newer build was made.
 */
async function build(entry) {
  const esbuild = await import("esbuild");
  mkdirSync(CACHE, { recursive: true });
  const scratch = join(CACHE, `.building-${process.pid}-${randomBytes(6).toString("hex")}`);
  let result;
  try {
    result = await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: [entry],
      outdir: scratch,
      outbase: ROOT,
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      packages: "external",
      // As tsx compiles: for this Node, function and class names kept, whitespace removed.
      target: `node${process.versions.node}`,
      keepNames: true,
      minifyWhitespace: true,
      // Maps on disk, read only under --enable-source-maps (stack traces then name the TypeScript lines).
      sourcemap: "linked",
      sourcesContent: false,
      metafile: true,
      logLevel: "silent",
      plugins: [sourceLocations],
    });
  } catch (err) {
    rmSync(scratch, { recursive: true, force: true });
    throw err;
  } finally {
    await esbuild.stop();
  }
  const files = [...Object.keys(result.metafile.inputs), ...SETTINGS].sort();
  const inputs = Object.fromEntries(files.map((file) => [file, hashOf(file)]));
  const id = createHash("sha256").update(RECIPE).update(JSON.stringify(inputs)).digest("base64url").slice(0, 24);
  const source = relative(ROOT, entry);
  const out = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint === source)[0];
  try {
    renameSync(scratch, join(CACHE, id));
  } catch {
    // Another process made the same build first.
    rmSync(scratch, { recursive: true, force: true });
  }
  return { recipe: RECIPE, build: id, entry: relative(scratch, join(ROOT, out)), inputs };
}

/**
 * A module's own location, as tsx gave it: `import.meta.url`, `dirname` and `filename` name the source file, so
 * that files found next to it (package.json, the studio's pages, another thread's module) are found as before.
 */
const sourceLocations = {
  name: "source-locations",
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
      const text = await readFile(path, "utf8");
      const contents = text
        .replaceAll("import.meta.url", JSON.stringify(pathToFileURL(path).href))
        .replaceAll("import.meta.dirname", JSON.stringify(dirname(path)))
        .replaceAll("import.meta.filename", JSON.stringify(path));
      return { contents, loader: "ts" };
    });
  },
};

function writeAtomically(path, text) {
  const scratch = `${path}.${process.pid}-${randomBytes(6).toString("hex")}`;
  writeFileSync(scratch, text);
  renameSync(scratch, path);
}

/** Removes the builds no manifest names and no process has started from for a day. */
function prune() {
  const named = new Set();
  const entries = readdirSync(CACHE);
  for (const file of entries) if (file.endsWith(".json")) named.add(readManifest(join(CACHE, file))?.build);
  for (const dir of entries) {
    if (named.has(dir) || dir.endsWith(".json")) continue;
    const path = join(CACHE, dir);
    try {
      if (Date.now() - statSync(path).mtimeMs > UNUSED_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Removed by another process meanwhile.
    }
  }
}
