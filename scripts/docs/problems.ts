/** docs/problems.md: the code catalogue of src/core/problem.ts, with where in src/ each code is reported. */
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { PROBLEM_CODES, type ProblemCode } from "../../src/core/problem.ts";
import { GENERATED_NOTE, ROOT } from "./generated.ts";

const CATALOGUE = "src/core/problem.ts";

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
    GENERATED_NOTE(CATALOGUE),
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
