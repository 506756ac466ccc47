import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { omnidoc } from "../support/cli.ts";
import { TEST_SIGNING_ENV } from "../support/signing-keys.ts";

/**
 * Every command the README and docs/ show is run here as shown, in README order, in a folder holding only what
 * those commands make (and the package's templates and samples, as beside a clone). What a reader copies works.
 */
const ROOT = resolve(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/omnidoc.mjs");
const PAGES = ["README.md", ...readdirSync(join(ROOT, "docs")).map((f) => `docs/${f}`)];
/** Pages that only mention commands in their prose (the benches' own commands are theirs to run). */
const MENTIONING = [...PAGES, "bench/README.md"];

/** Commands a page shows in its `sh` blocks, comments dropped, `&&` chains split. */
function shownCommands(page: string): string[] {
  const text = readFileSync(join(ROOT, page), "utf8");
  return [...text.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) =>
    m[1]
      .split("\n")
      .map((line) => line.replace(/\s+#.*$/, "").trim())
      .filter((line) => line !== "" && !line.startsWith("#"))
      .flatMap((line) => line.split("&&").map((c) => c.trim())),
  );
}

/** `export NAME="$(npx omnidoc …)"`: a variable set to what an omnidoc command prints, for the commands after it. */
const EXPORT = /^export ([A-Z_]+)="\$\(npx omnidoc ([^)]*)\)"$/;

/** Set-up steps this suite is itself the result of: installing, and running this suite. */
const NOT_RUN_HERE = new Set(["npm ci", "npm test"]);

/** `npm run <script>` of an omnidoc script, as the omnidoc arguments it runs. */
function scriptArgs(command: string): string[] {
  const scripts = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts as Record<string, string>;
  const script = scripts[command.replace(/^npm run /, "")];
  expect(script, `${command}: no such npm script`).toBeDefined();
  expect(script, `${command}: runs something other than omnidoc`).toMatch(/^node bin\/omnidoc\.mjs /);
  return script.replace(/^node bin\/omnidoc\.mjs /, "").split(/\s+/);
}

/** Exit codes other than 0 that a shown command is expected to give, and why. */
const EXPECTED_CODE: [RegExp, number][] = [
  // The README's extract has bad records on purpose: checking it and running it report their rejects.
  [/^(validate|run) .*--input customers\.ndjson/, 1],
];

/** What a shown command's output must hold where its exit code alone cannot tell (finding nothing is not an error). */
const EXPECTED_OUTPUT: [RegExp, RegExp][] = [[/^customer C0000001$/, /^C0000001: [1-9]\d* documents?$/m]];

const LONG_RUNNING = /^(serve(?! .*--new-key)|studio)\b/;

const freePort = () =>
  new Promise<number>((done) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });

/** Starts a server command as its own process, waits for its address, checks it answers, and stops it. */
async function serveOnce(args: string[], cwd: string) {
  const port = await freePort();
  const withPort = args.includes("--port")
    ? args.map((a, i) => (args[i - 1] === "--port" ? String(port) : a))
    : [...args, "--port", String(port)];
  const child: ChildProcess = spawn(process.execPath, [BIN, ...withPort], { cwd, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const listening = new Promise<void>((done, failed) => {
    const seen = (chunk: Buffer) => {
      output += String(chunk);
      if (output.includes(`127.0.0.1:${port}`)) done();
    };
    child.stdout?.on("data", seen);
    child.stderr?.on("data", seen);
    child.once("exit", (code) => failed(new Error(`exited ${code} before listening:\n${output}`)));
  });
  await listening;
  const health = await fetch(`http://127.0.0.1:${port}/healthz`);
  const exited = new Promise<number | null>((done) => child.once("exit", done));
  child.kill("SIGTERM");
  return { health: health.status, exit: await exited, output };
}

describe("every command the README and docs show", () => {
  let work: string;
  const cwd = process.cwd();
  // The signing keys are the ones the shown commands make: none are set before them.
  const keys = Object.fromEntries(Object.entries(TEST_SIGNING_ENV).map(([name]) => [name, process.env[name]]));
  beforeAll(() => {
    for (const name of Object.keys(keys)) delete process.env[name];
    work = mkdtempSync(join(tmpdir(), "omnidoc-readme-"));
    for (const dir of ["templates", "samples"]) symlinkSync(join(ROOT, dir), join(work, dir));
    mkdirSync(join(work, "out"));
    process.chdir(work);
  });
  afterAll(() => {
    Object.assign(process.env, keys);
    process.chdir(cwd);
    rmSync(work, { recursive: true, force: true });
  });

  it("shows only omnidoc commands, npm scripts of omnidoc, and the set-up", () => {
    const commands = PAGES.flatMap(shownCommands);
    expect(commands.length).toBeGreaterThan(10);
    for (const c of commands)
      expect(c, `${c}: not an omnidoc command`).toMatch(
        new RegExp(`^(npx omnidoc |npm run |npm ci$|npm test$)|${EXPORT.source}`),
      );
  });

  it("names only real commands and flags where the prose mentions one", async () => {
    const mentions = MENTIONING.flatMap((page) =>
      [...readFileSync(join(ROOT, page), "utf8").matchAll(/`(?:npx )?omnidoc ([a-z][a-z-]*)((?: [^`]*)?)`/g)].map(
        ([text, name, rest]) => ({ page, text, name, flags: rest.match(/--[a-z][a-z-]*/g) ?? [] }),
      ),
    );
    expect(mentions.length).toBeGreaterThan(3);
    for (const { page, text, name, flags } of mentions) {
      const help = await omnidoc([name, "--help"]);
      expect(help.code, `${page}: ${text}: no command ${name}`).toBe(0);
      for (const flag of flags) expect(help.stdout, `${page}: ${text}: ${name} has no ${flag}`).toContain(flag);
    }
  });

  it("runs each as shown, in order, with the exit code it should give", { timeout: 180_000 }, async () => {
    for (const command of PAGES.flatMap(shownCommands)) {
      if (NOT_RUN_HERE.has(command)) continue;
      const exported = EXPORT.exec(command);
      if (exported) {
        const made = await omnidoc(exported[2].split(/\s+/));
        expect(made.code, `${command}\n${made.stderr}`).toBe(0);
        process.env[exported[1]] = made.stdout.trim();
        continue;
      }
      const args = command.startsWith("npm run ")
        ? scriptArgs(command)
        : command.replace(/^npx omnidoc /, "").split(/\s+/);
      const line = args.join(" ");
      if (LONG_RUNNING.test(line)) {
        const served = await serveOnce(args, work);
        expect(served.health, `${command}: /healthz\n${served.output}`).toBe(200);
        expect(served.exit, `${command}: stopping with SIGTERM\n${served.output}`).toBe(0);
        continue;
      }
      const r = await omnidoc(args);
      const expected = EXPECTED_CODE.find(([pattern]) => pattern.test(line))?.[1] ?? 0;
      expect(r.code, `${command}\n${r.stderr}`).toBe(expected);
      for (const [pattern, output] of EXPECTED_OUTPUT)
        if (pattern.test(line)) expect(r.stdout, command).toMatch(output);
      if (args[0] === "serve" && args.includes("--new-key")) {
        // What a reader does next: put the printed entry into the keys file the next command reads.
        const entry = r.stdout.split("\n").find((l) => l.trim().startsWith("{"));
        expect(entry, r.stdout).toBeDefined();
        writeFileSync(join(work, "keys.json"), `[${entry!.trim()}]\n`);
      }
    }
  });
});
