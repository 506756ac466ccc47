import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DOC, codeUses, problemsDoc } from "../../scripts/problems-doc.ts";

describe("the catalogue of problem codes", () => {
  it("is published in docs/problems.md exactly as the catalogue generates it", () => {
    const committed = readFileSync(DOC, "utf8");
    expect(committed === problemsDoc(), `${DOC} is stale: run npm run docs:problems`).toBe(true);
  });

  it("holds only codes that src/ reports, so an unused code cannot creep back", () => {
    const unused = [...codeUses()].filter(([, parts]) => parts.length === 0).map(([code]) => code);
    expect(unused, "remove these codes from src/core/problem.ts or report them").toEqual([]);
  });
});
