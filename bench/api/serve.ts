/**
 * Starts `omnidoc serve` for the benchmark: the same command the CLI registers, run on its own so the
 * benchmark works whether or not the project's CLI entry lists it yet.
 */
import { Command } from "commander";
import { registerServe } from "../../src/cli/serve.ts";

const program = new Command("omnidoc");
registerServe(program);
await program.parseAsync(process.argv.slice(2), { from: "user" });
