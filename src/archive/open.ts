import { dirname, join, resolve } from "node:path";
import { type Result, fail, ok, problem } from "../core/index.ts";
import { contentArchive } from "./archive.ts";
import { BlobStore } from "./blobs.ts";
import { openPostgresStore } from "./postgres.ts";
import { openSqliteStore } from "./sqlite.ts";
import type { Archive } from "./types.ts";

/** The embedded default: a SQLite file (and its blobs beside it) under the project's data folder. */
export const DEFAULT_ARCHIVE_URL = "sqlite:.omnidoc/archive/archive.db";

/** `--archive` if given, else `OMNIDOC_ARCHIVE`, else the embedded default. */
export function archiveUrl(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.OMNIDOC_ARCHIVE ?? DEFAULT_ARCHIVE_URL;
}

/**
 * Opens an archive by URL and brings its schema up to date:
 *   `sqlite:PATH` (blobs in `blobs/` beside the file) or
 *   `postgres://user@host:port/db` (blobs in `.omnidoc/archive/blobs`, or a folder every machine shares).
 * Either takes `?blobs=DIR`; PostgreSQL also `?schema=NAME`.
 */
export async function openArchive(url: string): Promise<Result<Archive>> {
  const parsed = parseArchiveUrl(url);
  if (!parsed.ok) return parsed;
  const { kind, target, blobs, schema } = parsed.value;
  try {
    const store = kind === "sqlite" ? openSqliteStore(target) : await openPostgresStore(target, { schema });
    return ok(contentArchive(store, new BlobStore(blobs)));
  } catch (e) {
    return fail(
      problem(
        "OMD_ARCHIVE_UNAVAILABLE",
        `cannot open the ${kind} archive: ${(e as Error).message}`,
        redact(url),
        kind === "postgres" ? "is PostgreSQL running and the database created?" : undefined,
      ),
    );
  }
}

interface ArchiveLocation {
  kind: "sqlite" | "postgres";
  /** The SQLite file, or the PostgreSQL connection string without omnidoc's own parameters. */
  target: string;
  blobs: string;
  schema?: string;
}

export function parseArchiveUrl(url: string): Result<ArchiveLocation> {
  const q = url.indexOf("?");
  const base = q < 0 ? url : url.slice(0, q);
  const params = new URLSearchParams(q < 0 ? "" : url.slice(q + 1));
  const own = { blobs: params.get("blobs") ?? undefined, schema: params.get("schema") ?? undefined };
  params.delete("blobs");
  params.delete("schema");
  if (base.startsWith("sqlite:")) {
    const path = base.slice("sqlite:".length).replace(/^\/\//, "");
    if (path === "") return fail(problem("OMD_ARCHIVE_URL", "sqlite: needs a file path, e.g. sqlite:out/archive.db"));
    const file = path === ":memory:" ? path : resolve(path);
    return ok({ kind: "sqlite", target: file, blobs: resolve(own.blobs ?? join(dirname(resolve(path)), "blobs")) });
  }
  if (/^postgres(ql)?:\/\//.test(base)) {
    const rest = params.toString();
    return ok({
      kind: "postgres",
      target: rest ? `${base}?${rest}` : base,
      blobs: resolve(own.blobs ?? ".omnidoc/archive/blobs"),
      ...(own.schema !== undefined && { schema: own.schema }),
    });
  }
  return fail(
    problem(
      "OMD_ARCHIVE_URL",
      `"${redact(url)}" is not an archive URL`,
      undefined,
      "use sqlite:PATH or postgres://user@host:5432/database",
    ),
  );
}

/** The URL without its password, for messages and logs. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]+):[^@]*@/, "$1:***@");
}
