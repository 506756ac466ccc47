import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import type { FastifyInstance } from "fastify";

/** A file of a built page, served from memory. */
export interface Asset {
  body: Buffer;
  type: string;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
};

/**
 * Bundles a page's front end (`entry`, TypeScript or Preact, under `dir`) with esbuild into memory when the
 * server starts (~100 ms): nothing to build after `npm ci`, nothing generated in the tree, and the served code
 * always matches the sources. `files` (the HTML, an icon) are served as they are. Everything is served from the
 * server itself; no CDN. The bundle is `app.js` (and `app.css` when the entry imports CSS).
 */
export async function bundlePage(dir: string, entry: string, files: readonly string[]): Promise<Map<string, Asset>> {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    entryPoints: { app: `${dir}${entry}` },
    bundle: true,
    write: false,
    outdir: "/page-assets",
    format: "esm",
    target: "es2022",
    jsx: "automatic",
    jsxImportSource: "preact",
    minify: true,
    legalComments: "none",
    logLevel: "silent",
  });
  const assets = new Map<string, Asset>();
  for (const f of result.outputFiles) {
    const name = f.path.slice(f.path.lastIndexOf("/") + 1);
    assets.set(name, { body: Buffer.from(f.contents), type: TYPES[extname(name)] });
  }
  for (const name of files) assets.set(name, { body: await readFile(`${dir}${name}`), type: TYPES[extname(name)] });
  return assets;
}

/**
 * Serves a bundled page from the prefix it is mounted at: the HTML at `/` (the page loads `assets/…` and `api/…`
 * relative to itself, so a path without its trailing slash is redirected) and the rest under `assets/`. A
 * page's routes are not the API's: every route registered after this stays out of the OpenAPI document.
 */
export function servePage(app: FastifyInstance, assets: ReadonlyMap<string, Asset>): void {
  app.addHook("onRoute", (route) => {
    route.schema = { ...route.schema, hide: true };
  });
  app.get("/", async (req, reply) => {
    const path = req.url.split("?")[0];
    if (!path.endsWith("/")) return reply.redirect(`${path}/`);
    return reply
      .type("text/html; charset=utf-8")
      .header("cache-control", "no-cache")
      .send(assets.get("index.html")!.body);
  });
  app.get<{ Params: { name: string } }>("/assets/:name", async (req, reply) => {
    const asset = assets.get(req.params.name);
    if (!asset || req.params.name === "index.html") return reply.code(404).send({ error: "not found" });
    return reply.type(asset.type).header("cache-control", "no-cache").send(asset.body);
  });
}
