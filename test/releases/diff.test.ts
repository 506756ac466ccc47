import { beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine.ts";
import { type DocumentDiffs, diffDocuments } from "../../src/releases/index.ts";
import type { DocumentDiff, WordDiff } from "../../src/releases/index.ts";
import { engineOf, projectCopy } from "../support/project-copy.ts";
import { sampleProfile, sampleProfiles } from "../support/pdf-views.ts";

const RUN_DATE = "2026-11-01";
const LABELS = "templates/energy-bill/locales/en.yaml";

/** The copy edited by one word in each English text: the PDF's and the email's intro, the subject, the SMS's Direct Debit line. */
const oneWordEach = (yaml: string) =>
  yaml
    .replace("intro: Here is your statement for", "intro: Here is your bill for")
    .replace('emailSubject: "Your statement:', 'emailSubject: "Your bill:')
    .replace("We will collect it by Direct Debit", "We will take it by Direct Debit");

const changes = (diff: WordDiff) => diff.filter((run) => run.kind !== "same").map((run) => [run.kind, run.text.trim()]);

let base: Engine;
let next: Engine;
let result: DocumentDiffs;
let english: DocumentDiff;
let french: DocumentDiff;

beforeAll(async () => {
  base = await engineOf();
  next = await engineOf(projectCopy({ [LABELS]: oneWordEach }));
  const fr = sampleProfiles().find((p) => p.preferences.language === "fr" && p.contact.email && p.contact.mobile);
  const samples = [
    { label: "Typical household", profile: sampleProfile("C0000001") },
    { label: "French (fr-FR)", profile: structuredClone(fr!) },
  ];
  result = await diffDocuments(base, next, "energy-bill", samples, RUN_DATE);
  [english, french] = result.documents;
}, 120_000);

describe("a release's documents against the released version's", () => {
  it("finds a one-word change in the SMS, the email's subject and its text as word diffs", () => {
    expect(result.problems).toEqual([]);
    expect(changes(english.sms!)).toEqual([
      ["removed", "collect"],
      ["added", "take"],
    ]);
    expect(changes(english.email!.subject)).toEqual([
      ["removed", "statement"],
      ["added", "bill"],
    ]);
    expect(changes(english.email!.text)).toEqual([
      ["removed", "statement"],
      ["added", "bill"],
    ]);
    expect(english.unchanged).toBe(false);
  });

  it("finds the intro's new word as changed pixels on page 1 only, with the three images", () => {
    const { pdf } = english;
    expect(pdf!.basePages).toBe(pdf!.nextPages);
    expect(pdf!.pages.length).toBeGreaterThanOrEqual(2);
    const [first, ...rest] = pdf!.pages;
    expect(first.changedPixels).toBeGreaterThan(0);
    for (const png of [first.base, first.next, first.highlighted]) expect(png?.subarray(1, 4).toString()).toBe("PNG");
    for (const page of rest) expect(page).toEqual({ page: page.page, changedPixels: 0 });
  });

  it("shows the email's change in its screenshot", () => {
    expect(english.email!.screenshot!.changedPixels).toBeGreaterThan(0);
    expect(english.email!.screenshot!.highlighted).toBeDefined();
  });

  it("reports a customer whose language was not edited unchanged, pages at 0 and no images", () => {
    expect(french.unchanged).toBe(true);
    for (const page of [...french.pdf!.pages, french.email!.screenshot!]) expect(page.changedPixels).toBe(0);
    expect(french.pdf!.pages.every((p) => p.base === undefined && p.highlighted === undefined)).toBe(true);
    expect(changes(french.sms!)).toEqual([]);
  });

  it("still gives the word diffs when Chromium cannot start, and says why", async () => {
    const r = await diffDocuments(
      base,
      next,
      "energy-bill",
      [{ label: "Typical household", profile: sampleProfile("C0000001") }],
      RUN_DATE,
      { chromium: "/nonexistent/chromium" },
    );
    expect(r.problems.map((p) => p.code)).toEqual(["OMD_RELEASE_DIFF_BROWSER"]);
    expect(r.documents[0].email!.screenshot).toBeUndefined();
    expect(changes(r.documents[0].email!.subject)).toEqual([
      ["removed", "statement"],
      ["added", "bill"],
    ]);
  });
});
