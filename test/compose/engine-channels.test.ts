import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildEngine, compose, nodeWorld, parseProfileLine } from "../../src/index.ts";
import { generateLines } from "../support/customers.ts";

/**
 * An engine built for some channels compiles only those and loads only their code: a render thread that makes
 * statements alone holds no MJML.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const RUN_DATE = "2026-11-01";

/**
 * In a fresh process (a module once loaded stays loaded): builds an engine for `channels`, composes one
 * customer's statement with it, and says whether MJML's code was loaded.
 */
function inFreshProcess(channels: string) {
  const script = `
    import { createRequire } from "node:module";
    import { buildEngine, compose, nodeWorld, parseProfileLine } from "./src/index.ts";
    import { sampleLines } from "./src/sample/index.ts";
    const built = await buildEngine(nodeWorld(), { channels: ${channels} });
    if (!built.ok) throw new Error(JSON.stringify(built.problems));
    const [line] = sampleLines({ count: 1, seed: 1 });
    const p = parseProfileLine(line, 1);
    if (!p.ok) throw new Error(JSON.stringify(p.problems));
    const c = await compose(built.value, p.value, { template: "energy-bill", channels: ["pdf"], runDate: "${RUN_DATE}" });
    if (!c.ok) throw new Error(JSON.stringify(c.problems));
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    console.log(JSON.stringify({
      pages: c.value.pdf?.pages ?? 0,
      compiled: Object.keys(built.value.templates.get("energy-bill").channels),
      mjml: loaded.some((f) => f.includes("/node_modules/mjml-core/")),
    }));`;
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split("\n").at(-1)!);
}

describe("an engine built for some channels", () => {
  it("renders statements without loading the email channel's MJML", () => {
    const pdfOnly = inFreshProcess(`["pdf"]`);
    expect(pdfOnly.pages).toBeGreaterThan(0);
    expect(pdfOnly.compiled).toEqual(["pdf"]);
    expect(pdfOnly.mjml).toBe(false);
    // The same check sees MJML in an engine built for every channel.
    const every = inFreshProcess("undefined");
    expect(every.compiled.sort()).toEqual(["email", "pdf", "sms"]);
    expect(every.mjml).toBe(true);
  }, 120_000);

  it("refuses a channel it was built without: the caller's mistake, not the template's", async () => {
    const built = await buildEngine(nodeWorld(), { channels: ["sms"] });
    if (!built.ok) throw new Error(JSON.stringify(built.problems));
    const p = parseProfileLine(generateLines(1)[0], 1);
    if (!p.ok) throw new Error(JSON.stringify(p.problems));
    const options = { template: "energy-bill", runDate: RUN_DATE };
    const sms = await compose(built.value, p.value, { ...options, channels: ["sms"] });
    expect(sms.ok && sms.value.sms?.text).toBeTruthy();
    await expect(compose(built.value, p.value, { ...options, channels: ["pdf"] })).rejects.toThrow(
      "the engine was built without the pdf channel",
    );
  }, 60_000);
});
