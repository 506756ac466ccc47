import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GENERATED_DOCS } from "../../scripts/docs.ts";
import { codeUses } from "../../scripts/docs/problems.ts";

describe("the pages of docs/ generated from the code", () => {
  it.each(Object.keys(GENERATED_DOCS))("%s is committed exactly as the code generates it", (page) => {
    const committed = readFileSync(page, "utf8");
    expect(committed === GENERATED_DOCS[page](), `${page} is stale: run npm run docs`).toBe(true);
  });

  it("the problem catalogue holds only codes that src/ reports, so an unused code cannot creep back", () => {
    const unused = [...codeUses()].filter(([, parts]) => parts.length === 0).map(([code]) => code);
    expect(unused, "remove these codes from src/core/problem.ts or report them").toEqual([]);
  });

  it("the element reference lists every attribute the markup checker accepts, and no other", () => {
    const doc = GENERATED_DOCS["docs/pdf-elements.md"]();
    const spacer = doc.split("\n").find((l) => l.startsWith("| `<spacer>`"));
    expect(spacer).toContain("`height`: length");
    expect(spacer).not.toContain("space-before");
    expect(doc.split("\n").find((l) => l.startsWith("| `<page-break>`"))).toMatch(/\| none \|$/);
  });
});
