import { renameSync, writeFileSync } from "node:fs";
import { mkdtempSync, rmSync } from "node:fs";
import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import type { Result } from "../../src/core/index.ts";
import { type ApiKey, KeyRing, loadKeys, newKey, reloadKeysOnChange } from "../../src/server/index.ts";
import { KEYS, type Running, call, requestFrom, startServer } from "./support.ts";

const BIN = join(import.meta.dirname, "../../bin/omnidoc.mjs");
let s: Running;
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s?.close());

const getFrom = (from: string, base: string, path: string, headers: Record<string, string> = {}) =>
  requestFrom(from, `${base}${path}`, { headers });

const codeOf = (body: string) => (JSON.parse(body) as { problems: { code: string }[] }).problems[0].code;

describe("authentication", () => {
  it("takes the Bearer scheme in any case (RFC 7235 §2.1)", async () => {
    for (const scheme of ["Bearer", "bearer", "BEARER", "bEaReR"]) {
      const r = await getFrom("127.0.0.1", s.base, "/v1/templates", { authorization: `${scheme} ${KEYS.render.key}` });
      expect(r.status, scheme).toBe(200);
    }
  });

  it("says whether a key was missing or wrong: both 401, each with its own code and words", async () => {
    const missing = await getFrom("127.0.0.1", s.base, "/v1/templates");
    const empty = await getFrom("127.0.0.1", s.base, "/v1/templates", { authorization: "Bearer  " });
    const wrong = await getFrom("127.0.0.1", s.base, "/v1/templates", { authorization: "bearer omd_guess" });
    const wrongHeader = await getFrom("127.0.0.1", s.base, "/v1/templates", { "x-api-key": "omd_guess" });
    expect([missing, empty, wrong, wrongHeader].map((r) => r.status)).toEqual([401, 401, 401, 401]);
    expect([missing, empty, wrong, wrongHeader].map((r) => codeOf(r.body))).toEqual([
      "OMD_API_KEY_MISSING",
      "OMD_API_KEY_MISSING",
      "OMD_API_KEY_UNKNOWN",
      "OMD_API_KEY_UNKNOWN",
    ]);
    expect(JSON.parse(wrong.body).problems[0].message).toBe("the API key is not one this server accepts");
    expect(wrong.headers["www-authenticate"]).toContain('error="invalid_token"');
  });

  it("refuses an address that keeps failing with 429 and Retry-After, the right key included; others go on", async () => {
    const guesser = "127.0.0.3";
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push(
        (await getFrom(guesser, s.base, "/v1/templates", { authorization: `Bearer omd_guess-${i}` })).status,
      );
    // Ten failures in a minute are allowed; from the eleventh on the address waits.
    expect(statuses).toEqual([...Array(10).fill(401), 429, 429]);
    const right = await getFrom(guesser, s.base, "/v1/templates", { authorization: `Bearer ${KEYS.render.key}` });
    expect(right.status).toBe(429);
    expect(codeOf(right.body)).toBe("OMD_API_AUTH_THROTTLED");
    const retryAfter = Number(right.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another client is not held up by the guesser, and nothing public is closed to the guesser.
    expect(
      (await getFrom("127.0.0.1", s.base, "/v1/templates", { authorization: `Bearer ${KEYS.render.key}` })).status,
    ).toBe(200);
    expect((await getFrom(guesser, s.base, "/healthz")).status).toBe(200);
  });
});

describe("revoking a key without a restart", () => {
  const dir = mkdtempSync(join(tmpdir(), "omnidoc-keys-reload-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const desk = newKey("desk", ["render"]);
  const ops = newKey("ops", ["render"]);
  const write = (file: string, keys: ApiKey[]) => {
    // As deploy tools and editors do: a new file renamed over the old one.
    writeFileSync(`${file}.new`, JSON.stringify(keys));
    renameSync(`${file}.new`, file);
  };
  /** Reloads as they happen, awaited one at a time. */
  function reloads() {
    const seen: Result<ApiKey[]>[] = [];
    const waiting: ((r: Result<ApiKey[]>) => void)[] = [];
    return {
      onReload: (r: Result<ApiKey[]>) => (waiting.length > 0 ? waiting.shift()!(r) : seen.push(r)),
      next: () => new Promise<Result<ApiKey[]>>((done) => (seen.length > 0 ? done(seen.shift()!) : waiting.push(done))),
    };
  }
  const templates = (base: string, key: { key: string }) => call(base, "/v1/templates", { key });

  it("refuses a key taken out of the keys file as soon as the file changes; a broken file changes nothing", async () => {
    const file = join(dir, "keys.json");
    write(file, [desk.entry, ops.entry]);
    const ring = new KeyRing((loadKeys(file, {}) as { value: ApiKey[] }).value);
    const server = await startServer({ keys: ring });
    const r = reloads();
    const reload = reloadKeysOnChange(ring, () => loadKeys(file, {}), { watch: file, onReload: r.onReload });
    try {
      expect((await templates(server.base, desk)).status).toBe(200);
      write(file, [ops.entry]);
      expect((await r.next()).ok).toBe(true);
      const revoked = await templates(server.base, desk);
      expect(revoked.status).toBe(401);
      expect((await revoked.json()).problems[0].code).toBe("OMD_API_KEY_UNKNOWN");
      expect((await templates(server.base, ops)).status).toBe(200);

      writeFileSync(file, "[{");
      const broken = await r.next();
      expect(!broken.ok && broken.problems[0].code).toBe("OMD_API_KEYS_INVALID");
      expect((await templates(server.base, ops)).status).toBe(200);
      expect((await templates(server.base, desk)).status).toBe(401);
    } finally {
      reload.close();
      await server.close();
    }
  });

  it("reloads the keys file on SIGHUP", async () => {
    const file = join(dir, "keys-hup.json");
    write(file, [desk.entry, ops.entry]);
    const ring = new KeyRing((loadKeys(file, {}) as { value: ApiKey[] }).value);
    const server = await startServer({ keys: ring });
    const r = reloads();
    // Not watching the file: only the signal can make this reload.
    const reload = reloadKeysOnChange(ring, () => loadKeys(file, {}), { onReload: r.onReload });
    try {
      write(file, [ops.entry]);
      expect((await templates(server.base, desk)).status).toBe(200);
      process.kill(process.pid, "SIGHUP");
      expect((await r.next()).ok).toBe(true);
      expect((await templates(server.base, desk)).status).toBe(401);
      expect((await templates(server.base, ops)).status).toBe(200);
    } finally {
      reload.close();
      await server.close();
    }
  });

  it("omnidoc serve --keys reloads its file: a key taken out is refused, with a log line saying so", async () => {
    const file = join(dir, "keys-serve.json");
    write(file, [desk.entry, ops.entry]);
    const child = spawn(
      process.execPath,
      [BIN, "serve", "--keys", file, "--port", "0", "--workers", "1", "--no-studio"],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    // Stopped however the test ends, a timeout included.
    onTestFinished(async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((done) => child.once("exit", done));
      child.kill("SIGTERM");
      await exited;
    });
    const lines: string[] = [];
    const waiting: [RegExp, (line: string) => void][] = [];
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      for (const line of chunk.split("\n").filter(Boolean)) {
        lines.push(line);
        const i = waiting.findIndex(([pattern]) => pattern.test(line));
        if (i >= 0) waiting.splice(i, 1)[0][1](line);
      }
    });
    const logged = (pattern: RegExp) =>
      new Promise<string>((done) => {
        const seen = lines.find((l) => pattern.test(l));
        if (seen) done(seen);
        else waiting.push([pattern, done]);
      });
    const base = (await logged(/omnidoc API at /)).match(/omnidoc API at (http:\/\/[^ ]+) /)![1];
    expect((await templates(base, desk)).status).toBe(200);
    write(file, [ops.entry]);
    expect(JSON.parse(await logged(/API keys reloaded/)).keys).toBe(1);
    expect((await templates(base, desk)).status).toBe(401);
    expect((await templates(base, ops)).status).toBe(200);
  });
});
