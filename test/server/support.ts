import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "node:http";
import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { type Archive, openArchive } from "../../src/archive/index.ts";
import type { Profile } from "../../src/profile/index.ts";
import { type Scope, type ServerOptions, buildServer, newKey } from "../../src/server/index.ts";

export const ROOT = join(import.meta.dirname, "../..");

/** One key per scope, plus an admin key; the secrets stay in the test, the server gets only hashes. */
export const KEYS = {
  render: newKey("renderer", ["render"]),
  archive: newKey("agent-desk", ["archive:read"]),
  renderAndRead: newKey("contact-centre", ["render", "archive:read"]),
  admin: newKey("operator", ["admin"]),
  preview: newKey("studio", ["preview" as Scope]),
  /** The system that owns customer records (a CRM feed): its profiles become the profile of record. */
  records: newKey("crm-sync", ["render", "profile:write"]),
  auditor: newKey("auditor", ["audit:read"]),
  /** The billing system, posting what happens to accounts (a missed payment). */
  events: newKey("billing-system", ["events:write"]),
  /** People of the release workflow: one who proposes, one who reviews, one who may do both. */
  author: newKey("ada", ["templates:write"]),
  reviewer: newKey("grace", ["templates:approve"]),
  lead: newKey("linus", ["templates:write", "templates:approve"]),
};

export function sampleProfile(index = 0): Profile {
  const lines = readFileSync(join(ROOT, "samples/customers-200.ndjson"), "utf8").split("\n");
  return JSON.parse(lines[index]) as Profile;
}

export interface Running {
  app: FastifyInstance;
  base: string;
  archive: Archive;
  /** Log lines as the server wrote them, when started with `captureLogs`. */
  logs: string[];
  close(): Promise<void>;
}

/** The real server on a loopback port, with a fresh SQLite archive (or the archive at `archiveUrl`). */
export async function startServer(
  options: Partial<ServerOptions> & { captureLogs?: string; archiveUrl?: string; port?: number } = {},
): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), "omnidoc-api-"));
  const opened = await openArchive(options.archiveUrl ?? `sqlite:${join(dir, "archive.db")}`);
  if (!opened.ok) throw new Error(opened.problems[0].message);
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      logs.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  const { captureLogs, archiveUrl: _url, port = 0, ...rest } = options;
  const app = await buildServer({
    keys: Object.values(KEYS).map((k) => k.entry),
    archive: opened.value,
    root: ROOT,
    pool: { workers: 1 },
    log: captureLogs ? { level: captureLogs, stream } : false,
    ...rest,
  });
  const base = await app.listen({ port, host: "127.0.0.1" });
  return {
    app,
    base,
    archive: opened.value,
    logs,
    close: async () => {
      await app.close();
      await opened.value.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function call(
  base: string,
  path: string,
  init: { key?: { key: string }; body?: unknown; method?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.key) headers.authorization = `Bearer ${init.key.key}`;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  return fetch(`${base}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers,
    body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
  });
}

export interface PlainResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A request from a chosen loopback address (all of 127.0.0.0/8 is loopback), as another client or a proxy
 * in front of the server would make it.
 */
export function requestFrom(
  from: string,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<PlainResponse> {
  return new Promise((done, failed) => {
    const req = request(url, { localAddress: from, method: init.method ?? "GET", headers: init.headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => {
        body += c;
      });
      res.on("end", () => done({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", failed);
    req.end(init.body);
  });
}
