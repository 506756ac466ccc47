import { readFileSync, readdirSync } from "node:fs";
import { getPriority } from "node:os";
import { afterAll, describe, expect, it } from "vitest";
import { KEYS, type Running, call, sampleProfile, startServer } from "./support.ts";

/** The main thread's nice value before any server starts: whatever the suite was started with (`nice npm test`). */
const ownPriority = getPriority();
/** Lower than that, as any user may set it. */
const WORKER_NICE = Math.min(19, ownPriority + 5);
const running: Running[] = [];
afterAll(async () => {
  for (const s of running) await s.close();
});

const body = (channel: string) => ({
  template: "energy-bill",
  channel,
  runDate: "2026-11-01",
  profile: sampleProfile(),
  archive: false,
});

describe("the render pool under load", () => {
  it("answers 503 with Retry-After when the queue is full, and serves the rest", async () => {
    const s = await startServer({ pool: { workers: 1, queue: 1, niceness: WORKER_NICE } });
    running.push(s);
    const inFlight = Promise.all(
      Array.from({ length: 24 }, () => call(s.base, "/v1/documents", { key: KEYS.render, body: body("pdf") })),
    );
    // The event loop is not blocked by rendering: health answers while the renders are in flight.
    expect((await call(s.base, "/healthz")).status).toBe(200);
    const answers = await inFlight;
    const statuses = answers.map((r) => r.status);
    expect(statuses.every((x) => x === 200 || x === 503)).toBe(true);
    expect(statuses.filter((x) => x === 200).length).toBeGreaterThanOrEqual(2);
    const refused = answers.filter((r) => r.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0].headers.get("retry-after")).toBe("1");
    expect((await refused[0].json()).problems[0].code).toBe("OMD_API_OVERLOADED");
    // The pool drains and serves again.
    expect((await call(s.base, "/v1/documents", { key: KEYS.render, body: body("sms") })).status).toBe(200);
  });

  it("gives up on a request that outlives its timeout with 503, and keeps serving", async () => {
    const s = await startServer({ timeoutMs: 1 });
    running.push(s);
    // A PDF: a warm worker can answer an SMS within the millisecond, a statement takes tens of them.
    const r = await call(s.base, "/v1/documents", { key: KEYS.render, body: body("pdf") });
    expect(r.status).toBe(503);
    expect(r.headers.get("retry-after")).toBe("1");
    expect((await r.json()).problems[0].code).toBe("OMD_API_TIMEOUT");
    expect((await call(s.base, "/readyz")).status).toBe(200);
  });

  it.runIf(process.platform === "linux")("lowers only the render threads' priority when asked", () => {
    const nice = (task: string) => {
      const stat = readFileSync(`/proc/self/task/${task}/stat`, "utf8");
      return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
    };
    const tasks = readdirSync("/proc/self/task");
    // The first server of this file runs its worker at WORKER_NICE; the main thread keeps the priority it had.
    expect(tasks.filter((t) => nice(t) === WORKER_NICE).length).toBeGreaterThan(0);
    expect(nice(String(process.pid))).toBe(ownPriority);
  });
});
