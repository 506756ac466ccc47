import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Archive, openArchive } from "../../src/archive/index.ts";
import { nodeWorld } from "../../src/node-world.ts";
import { sampleLines } from "../../src/sample/index.ts";
import { type Scope, buildServer, newKey } from "../../src/server/index.ts";
import { type StudioSetup, prepareStudio, studioPlugin } from "../../src/studio/index.ts";
import { MAX_PROOF_CUSTOMERS } from "../../src/studio/proof.ts";
import { ROOT } from "./harness.ts";

/** The studio behind the API, with its own sample file and task limits. */
async function studioWith(setup: Partial<StudioSetup>, scratch: string) {
  const preview = newKey("studio-test", ["preview" as Scope]);
  const studio = await prepareStudio({ world: nodeWorld(ROOT), watch: false, ...setup });
  const archive = (await openArchive(`sqlite::memory:?blobs=${join(scratch, "blobs")}`)) as {
    ok: true;
    value: Archive;
  };
  const app: FastifyInstance = await buildServer({
    keys: [preview.entry],
    archive: archive.value,
    root: ROOT,
    pool: { workers: 1 },
    log: false,
    plugins: [studioPlugin(studio)],
  });
  const base = `${await app.listen({ port: 0, host: "127.0.0.1" })}/studio/`;
  const session = await fetch(`${base}api/session`, {
    method: "POST",
    headers: { authorization: `Bearer ${preview.key}`, "content-type": "application/json" },
    body: "{}",
  });
  const cookie = session.headers.get("set-cookie")!.split(";")[0];
  const call = (path: string, body?: unknown) =>
    fetch(`${base}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { cookie, ...(body !== undefined && { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return {
    studio,
    call,
    close: async () => {
      app.server.closeAllConnections();
      await app.close();
      await archive.value.close();
    },
  };
}

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "omnidoc-studio-limits-"));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const [firstSample] = sampleLines({ count: 1 });

describe("the studio's work is bounded", () => {
  test("a drawing past its time limit answers 503 and its worker is stopped; the next task starts a fresh one", async () => {
    const s = await studioWith({ limitsMs: { read: 1 } }, scratch);
    try {
      const drawing = () =>
        s.call("api/preview", { template: "energy-bill", runDate: "2026-11-23", profileText: firstSample });
      const r = await drawing();
      expect(r.status).toBe(503);
      expect((await r.json()).problems[0].code).toBe("OMD_API_TIMEOUT");
      // The abort that stops the worker may come just after the answer; nothing replaces it until a task comes.
      while (s.studio.pool.threads > 0) await sleep(10);
      // The next preview starts a fresh worker; again its compose answers and its drawing overruns its 1 ms.
      const next = await drawing();
      expect(next.status).toBe(503);
      expect((await next.json()).problems[0].message).toBe("rendering took longer than 1 ms");
    } finally {
      await s.close();
    }
  }, 180_000);

  test(`a proof of more than ${MAX_PROOF_CUSTOMERS} customers is refused with 400, and so is a profile too deep`, async () => {
    const samples = join(scratch, "many.ndjson");
    writeFileSync(samples, `${[...sampleLines({ count: MAX_PROOF_CUSTOMERS + 1 })].join("\n")}\n`);
    const s = await studioWith({ samples }, scratch);
    try {
      const r = await s.call("api/proof.pdf?template=energy-bill&runDate=2026-11-23&set=all");
      expect(r.status).toBe(400);
      const problem = (await r.json()).problems[0];
      expect(problem.at).toBe("set");
      expect(problem.message).toContain(`at most ${MAX_PROOF_CUSTOMERS} customers`);
      const list = await s.call("api/proof?template=energy-bill&runDate=2026-11-23&set=all");
      expect(list.status).toBe(400);
      expect((await s.call("api/proof?template=energy-bill&runDate=2026-11-23")).status).toBe(200);

      // A profile nested 5,000 levels deep is a problem, not a crash.
      const deep = `${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}`;
      const validated = await s.call("api/validate", { profileText: deep });
      expect(validated.status).toBe(200);
      expect((await validated.json()).problems[0].code).toBe("OMD_API_BODY_TOO_DEEP");
    } finally {
      await s.close();
    }
  }, 180_000);
});
