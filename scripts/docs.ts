/**
 * Writes the pages of docs/ that are generated from the code, so they cannot drift from it: `npm run docs`.
 * A test regenerates each and fails when the committed file differs.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "./docs/generated.ts";
import { pdfElementsDoc } from "./docs/pdf-elements.ts";
import { problemsDoc } from "./docs/problems.ts";

export const GENERATED_DOCS: Readonly<Record<string, () => string>> = {
  "docs/problems.md": problemsDoc,
  "docs/pdf-elements.md": pdfElementsDoc,
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const [page, make] of Object.entries(GENERATED_DOCS)) {
    writeFileSync(join(ROOT, page), make());
    console.log(`wrote ${page}`);
  }
}
