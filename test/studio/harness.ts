import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import { type Archive, openArchive } from "../../src/archive/index.ts";
import { nodeWorld } from "../../src/node-world.ts";
import { type Scope, buildServer, newKey } from "../../src/server/index.ts";
import { type StudioOptions, prepareStudio, studioPlugin } from "../../src/studio/index.ts";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The studio behind the real API server on a loopback port, over a TEMPORARY copy of the templates. */
export interface StudioHarness {
  base: string;
  /** The copy of `templates/` the studio watches: tests edit files here, never in the repository. */
  templatesDir: string;
  /** The copy of the catalogue the studio reads and its offer editor writes. */
  catalogue: string;
  keys: Record<"preview" | "render" | "editor" | "reviewer", string>;
  archive: Archive;
  studio: StudioOptions;
  app: FastifyInstance;
  close(): Promise<void>;
}

/**
 * `trustProxy`: the addresses whose forwarded headers the server believes, as `serve --trust-proxy` sets them;
 * `idleMs`: how long the studio keeps a worker without work.
 */
export async function startStudio(options: { trustProxy?: string[]; idleMs?: number } = {}): Promise<StudioHarness> {
  const scratch = mkdtempSync(join(tmpdir(), "omnidoc-studio-test-"));
  const templatesDir = join(scratch, "templates");
  cpSync(join(ROOT, "templates"), templatesDir, { recursive: true });
  const catalogue = join(scratch, "catalogue.yaml");
  cpSync(join(ROOT, "samples/catalogue.yaml"), catalogue);
  const preview = newKey("studio-test", ["preview" as Scope]);
  const render = newKey("render-only", ["render" as Scope]);
  // A marketer's key (the studio, saving and proposing a template's new version; approving, though never their
  // own proposal), and a reviewer's.
  const editor = newKey("marketer", ["preview", "templates:write", "templates:approve"] as Scope[]);
  const reviewer = newKey("reviewer", ["preview", "templates:approve"] as Scope[]);
  const world = nodeWorld(ROOT);
  const archive = (await openArchive(`sqlite::memory:?blobs=${join(scratch, "blobs")}`)) as {
    ok: true;
    value: Archive;
  };
  const engine = { templatesDir, catalogue };
  const studio = await prepareStudio({ world, engine, idleMs: options.idleMs, archive: archive.value });
  const app = await buildServer({
    keys: [preview.entry, render.entry, editor.entry, reviewer.entry],
    archive: archive.value,
    root: ROOT,
    engine,
    pool: { workers: 1 },
    log: false,
    plugins: [studioPlugin(studio)],
    trustProxy: options.trustProxy,
  });
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  return {
    base: `${address}/studio/`,
    templatesDir,
    catalogue,
    keys: { preview: preview.key, render: render.key, editor: editor.key, reviewer: reviewer.key },
    archive: archive.value,
    studio,
    app,
    async close() {
      // The tests are over: a response body a test never read would hold its connection, and close, open.
      app.server.closeAllConnections();
      await app.close();
      await archive.value.close();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** A session cookie for requests made outside the browser. */
export async function signIn(h: StudioHarness, key = h.keys.preview): Promise<{ status: number; cookie?: string }> {
  const res = await fetch(`${h.base}api/session`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: "{}",
  });
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  return { status: res.status, cookie };
}
