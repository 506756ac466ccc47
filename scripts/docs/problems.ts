/**
 * Writes docs/problems.md from the code catalogue in src/core/problem.ts, with where in src/ each code is
 * reported: `npm run docs:problems`. A test regenerates it and fails when the committed file differs.
 */
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { PROBLEM_CODES, type ProblemCode } from "../src/core/problem.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const CATALOGUE = "src/core/problem.ts";
export const DOC = "docs/problems.md";

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return sourceFiles(rel);
    return /\.(ts|mjs)$/.test(e.name) && rel !== CATALOGUE ? [rel] : [];
  });
}

/** The part of src/ a file belongs to: its folder (`channels/sms`), or its name for a top-level module. */
const partOf = (file: string) => {
  const rel = relative("src", file);
  return rel.includes("/") ? dirname(rel) : rel.replace(/\.(ts|mjs)$/, "");
};

/**
 * A code being reported: `problem("OMD_…"`, `HttpProblem.of(404, "OMD_…"`, or given as a field
 * (`code: "OMD_…"`, `invalid: "OMD_…"`); a code merely listed (a set of codes lint passes over) is not.
 */
const REPORT = /(?:\bproblem\(|HttpProblem\.of\(\s*[^,()]+,)\s*"(OMD_[A-Z0-9_]+)"|\b\w+: "(OMD_[A-Z0-9_]+)"/g;

/** For each code of the catalogue, the parts of src/ that report it, sorted. */
export function codeUses(): Map<ProblemCode, string[]> {
  const uses = new Map<ProblemCode, Set<string>>(Object.keys(PROBLEM_CODES).map((c) => [c as ProblemCode, new Set()]));
  for (const file of sourceFiles("src")) {
    const text = readFileSync(join(ROOT, file), "utf8");
    for (const m of text.matchAll(REPORT)) uses.get((m[1] ?? m[2]) as ProblemCode)?.add(partOf(file));
  }
  return new Map([...uses].map(([code, parts]) => [code, [...parts].sort()]));
}

export function problemsDoc(): string {
  const uses = codeUses();
  const rows = Object.entries(PROBLEM_CODES).map(
    ([code, meaning]) =>
      `| \`${code}\` | ${meaning} | ${(uses.get(code as ProblemCode) ?? []).map((p) => `\`${p}\``).join(", ")} |`,
  );
  return [
    "# Problem codes",
    "",
    `<!-- Generated from ${CATALOGUE} by \`npm run docs:problems\`; edit the catalogue, not this file. -->`,
    "",
    "Every problem omnidoc reports is a value `{code, message, at, hint}`: `at` is `file:line:column` for",
    "templates, the theme and the catalogue, a JSON pointer for API bodies and `line N` for batch records.",
    "A code has exactly one meaning and is never reused. A command that reports a problem exits 1; the HTTP",
    "API answers `{requestId, problems}` with a 4xx status for the request's problems and 5xx for its own.",
    "",
    "| code | meaning | reported in `src/` |",
    "| --- | --- | --- |",
    ...rows,
    "",
  ].join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(join(ROOT, DOC), problemsDoc());
  console.log(`wrote ${DOC}`);
}
