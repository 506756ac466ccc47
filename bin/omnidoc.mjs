#!/usr/bin/env node
// Runs the TypeScript sources compiled on first use (src/compiled.mjs), so `npx omnidoc` works straight after
// `npm ci` with no build step, and always runs the sources as they are.
import { importCompiled } from "../src/compiled.mjs";

const { main } = await importCompiled(new URL("../src/cli.ts", import.meta.url));
process.exitCode = await main(process.argv.slice(2));
