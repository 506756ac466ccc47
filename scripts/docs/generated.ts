import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");

/** The first line of a generated page: where it comes from and how to remake it. */
export const GENERATED_NOTE = (source: string) =>
  `<!-- Generated from ${source} by \`npm run docs\`; edit that, not this file. -->`;
