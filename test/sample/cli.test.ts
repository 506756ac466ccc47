import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sampleLines } from "../../src/sample/index.ts";
import { omnidoc } from "../support/cli.ts";

const work = mkdtempSync(join(tmpdir(), "omnidoc-sample-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const moduleText = (...args: Parameters<typeof sampleLines>) => [...sampleLines(...args)].map((l) => `${l}\n`).join("");

describe("omnidoc sample", () => {
  it("writes the bytes of the module to standard output, several chunks of them", async () => {
    const r = await omnidoc(["sample", "400", "--seed", "9", "--bad-every", "7"]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(r.stdout).toBe(moduleText({ count: 400, seed: 9, badEvery: 7 }));
    expect(r.stdout.length).toBeGreaterThan(3 * 64 * 1024);
  });

  it("writes the same bytes to --out", async () => {
    const file = join(work, "c.ndjson");
    const r = await omnidoc(["sample", "50", "--out", file]);
    expect([r.code, r.stdout]).toEqual([0, ""]);
    expect(readFileSync(file, "utf8")).toBe(moduleText({ count: 50 }));
  });

  it("keeps to the locales of --locale", async () => {
    const r = await omnidoc(["sample", "120", "--locale", "en-IE,de-DE"]);
    const locales = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).locale);
    expect(new Set(locales)).toEqual(new Set(["en-IE", "de-DE"]));
    expect(r.stdout).toBe(moduleText({ count: 120, locales: ["en-IE", "de-DE"] }));
  });

  it("answers a wrong command line with exit code 2 and what was wrong", async () => {
    const cases: [string[], RegExp][] = [
      [["sample"], /missing required argument 'count'/],
      [["sample", "ten"], /number of customers must be a whole number, not "ten"/],
      [["sample", "5", "--seed", "-1"], /--seed must be a whole number from 0 to 4294967295/],
      [["sample", "5", "--bad-every", "2.5"], /--bad-every must be a whole number/],
      [["sample", "5", "--locale", "en-GB,en-US"], /--locale "en-US" is not one of en-GB, en-IE, fr-FR, de-DE/],
    ];
    for (const [args, message] of cases) {
      const r = await omnidoc(args);
      expect([r.code, r.stdout], args.join(" ")).toEqual([2, ""]);
      expect(r.stderr, args.join(" ")).toMatch(message);
    }
  });

  it("exits 1 when it cannot write the file", async () => {
    const r = await omnidoc(["sample", "5", "--out", join(work, "missing/dir/c.ndjson")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot write .*c\.ndjson/);
  });
});
