import { describe, expect, it } from "vitest";
import { omnidoc, omnidocProcess } from "../support/cli.ts";
import { generateLines } from "../support/customers.ts";

/** The other command-line tests call `main` in-process; these run the executable itself. */
describe("the omnidoc executable", () => {
  it("reads standard input, prints to standard output and exits with the command's code", () => {
    const r = omnidocProcess(["validate", "--input", "-"], `${generateLines(20, "--bad-every", "10").join("\n")}\n`);
    expect(r.stdout).toMatch(/records\s+20\nvalid\s+18\nrejected\s+2\n/);
    expect(r.code).toBe(1);
  });

  it("exits 2 on a command line it does not understand, with the reason on standard error", () => {
    const r = omnidocProcess(["frobnicate"]);
    expect([r.code, r.stdout]).toEqual([2, ""]);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
  });
});

describe("main, called in-process", () => {
  it("prints help to the standard output it is given and exits 0", async () => {
    const r = await omnidoc(["--help"]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(r.stdout).toMatch(/Usage: omnidoc .*\n[\s\S]*\bvalidate\b[\s\S]*\brun\b/);
  });

  it("returns a failing command's code and leaves the process's exit code alone", async () => {
    const before = process.exitCode;
    const r = await omnidoc(["validate", "--input", "-"], "not json\n");
    expect([r.code, process.exitCode]).toEqual([1, before]);
    expect((await omnidoc(["validate", "--input", "-"], `${generateLines(1).join("\n")}\n`)).code).toBe(0);
  });
});
