import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { type Archive, openArchive } from "../../src/archive/index.ts";

/** The archive contract runs against both backends; each test gets a fresh archive of its own. */
export const POSTGRES = "postgres://postgres@127.0.0.1:5432/test";

export interface Backend {
  name: string;
  /** A fresh, empty archive URL whose blobs go to `blobs`. */
  url(blobs: string): string;
  cleanup(): Promise<void>;
}

export const sqliteBackend = (): Backend => {
  const dir = mkdtempSync(join(tmpdir(), "omnidoc-archive-"));
  let n = 0;
  return {
    name: "sqlite",
    url: (blobs) => `sqlite:${join(dir, `a${n++}.db`)}?blobs=${blobs}`,
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
};

export const postgresBackend = (): Backend => {
  const prefix = `omnidoc_test_${process.pid}_${Date.now().toString(36)}`;
  const schemas: string[] = [];
  return {
    name: "postgres",
    url: (blobs) => {
      const schema = `${prefix}_${schemas.length}`;
      schemas.push(schema);
      return `${POSTGRES}?schema=${schema}&blobs=${blobs}`;
    },
    cleanup: async () => {
      const client = new pg.Client(POSTGRES);
      await client.connect();
      for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
      await client.end();
    },
  };
};

/** Fresh archives on one backend, each with its own blob folder, all closed and dropped by `cleanup`. */
export function archives(backend: Backend) {
  const work = mkdtempSync(join(tmpdir(), "omnidoc-blobs-"));
  const opened: Archive[] = [];
  return {
    fresh: async (): Promise<Archive> => {
      const r = await openArchive(backend.url(join(work, `blobs${opened.length}`)));
      if (!r.ok) throw new Error(r.problems[0].message);
      opened.push(r.value);
      return r.value;
    },
    cleanup: async () => {
      for (const a of opened) await a.close().catch(() => {});
      await backend.cleanup();
      rmSync(work, { recursive: true, force: true });
    },
  };
}
