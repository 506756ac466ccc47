/** Starts `omnidoc serve` for the benchmark, through the same entry the executable calls. */
import "../signing-keys.ts";
import { main } from "../../src/cli.ts";

process.exitCode = await main(process.argv.slice(2));
