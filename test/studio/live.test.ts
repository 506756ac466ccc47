import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { nodeWorld } from "../../src/node-world.ts";
import type { EngineState, LiveEngine } from "../../src/studio/index.ts";
import { loadSamples } from "../../src/studio/samples.ts";
import { Sessions } from "../../src/server/index.ts";
import { LiveEngine as Live } from "../../src/studio/workspace.ts";
import { ROOT } from "./harness.ts";

describe("the live engine over files people edit", () => {
  let scratch: string;
  let live: LiveEngine;
  const states: EngineState[] = [];
  const next = (after: number) =>
    new Promise<EngineState>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no rebuild within 20 s")), 20_000);
      const stop = live.subscribe((s) => {
        if (s.version <= after) return;
        clearTimeout(timer);
        stop();
        resolve(s);
      });
    });

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), "omnidoc-live-"));
    cpSync(join(ROOT, "templates"), join(scratch, "templates"), { recursive: true });
    cpSync(join(ROOT, "samples/catalogue.yaml"), join(scratch, "catalogue.yaml"));
    live = new Live(nodeWorld(ROOT), {
      templatesDir: join(scratch, "templates"),
      catalogue: join(scratch, "catalogue.yaml"),
    });
    live.subscribe((s) => states.push(s));
    await live.rebuild();
    live.watch();
  }, 60_000);
  afterAll(() => {
    live.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  test("a broken template keeps the last good engine; the fix builds a new one and never mutates the old", async () => {
    const first = live.current();
    expect(first.problems).toEqual([]);
    const good = first.engine!;
    const sms = join(scratch, "templates/energy-bill/sms.hbs");
    const text = readFileSync(sms, "utf8");

    const broken = next(first.version);
    writeFileSync(sms, `${text}\n{{#each}}\n`);
    const b = await broken;
    expect(b.problems[0].code).toBe("OMD_TEMPLATE_SYNTAX");
    expect(b.problems[0].at).toContain("sms.hbs");
    expect(b.engine).toBe(good);
    expect(b.changed.some((f) => f.endsWith("sms.hbs"))).toBe(true);

    const fixed = next(b.version);
    writeFileSync(sms, text.replace('{{#part "sender"}}', '{{#part "sender"}}Hello '));
    const f = await fixed;
    expect(f.problems).toEqual([]);
    expect(f.engine).not.toBe(good);
    expect(f.engine!.templates.get("energy-bill")!.pkg.files["sms.hbs"]).toContain("Hello ");
    expect(good.templates.get("energy-bill")!.pkg.files["sms.hbs"]).toBe(text);
  }, 60_000);

  test("a change to the catalogue, a file outside the templates folder, rebuilds too", async () => {
    const before = live.current().version;
    const rebuilt = next(before);
    const file = join(scratch, "catalogue.yaml");
    writeFileSync(file, `${readFileSync(file, "utf8")}\n# edited\n`);
    const s = await rebuilt;
    expect(s.changed).toContain(file);
    expect(s.problems).toEqual([]);
  }, 60_000);
});

describe("sample customers", () => {
  test("each curated case is the first record that shows it, each record used once", () => {
    const { curated, all } = loadSamples(nodeWorld(ROOT), "samples/customers-200.ndjson");
    expect(all.size).toBe(200);
    const byLabel = new Map(curated.map((s) => [s.label, s.profile]));
    expect(byLabel.get("Vulnerable customer")?.segment).toBe("vulnerable");
    expect(byLabel.get("In arrears")?.account.inArrears).toBe(true);
    expect(byLabel.get("French (fr-FR)")?.locale).toBe("fr-FR");
    expect(byLabel.get("German (de-DE)")?.locale).toBe("de-DE");
    expect(byLabel.get("Cyrillic name")?.name.last + byLabel.get("Cyrillic name")!.name.first).toMatch(
      /[\u0400-\u04FF]/,
    );
    const longest = Math.max(...[...all.values()].map((p) => p.account.charges.length));
    expect(byLabel.get("Longest statement")?.account.charges.length).toBe(longest);
    expect(new Set(curated.map((s) => s.id)).size).toBe(curated.length);
  });
});

describe("studio sessions", () => {
  test("a token opens a session until it expires or is closed; only its hash is kept", () => {
    let now = 1_000;
    const sessions = new Sessions(60_000, () => now);
    const key = { name: "marketing", sha256: "0".repeat(64), scopes: ["preview" as const] };
    const token = sessions.open(key);
    expect(sessions.check(token)).toBe(key);
    expect(sessions.check(`${token}x`)).toBeUndefined();
    expect(JSON.stringify([...(sessions as unknown as { live: Map<string, unknown> }).live.keys()])).not.toContain(
      token,
    );
    now += 60_000;
    expect(sessions.check(token)).toBeUndefined();
    const other = sessions.open(key);
    sessions.close(other);
    expect(sessions.check(other)).toBeUndefined();
  });
});
