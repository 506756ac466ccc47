import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parseCatalogue } from "../../src/decide/index.ts";
import { applyOfferEdit, fieldAt, readOffer } from "../../src/studio/offer-yaml.ts";
import { ROOT } from "./harness.ts";

/** The offer editor's writes to the catalogue file, on the repository's own catalogue. */
const FILE = "samples/catalogue.yaml";
const original = readFileSync(join(ROOT, FILE), "utf8");

/** The lines of `after` that are not the line at the same place in `before`, with the lines inserted or removed. */
function changed(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split("\n");
  const b = after.split("\n");
  let start = 0;
  while (a[start] === b[start] && start < a.length) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  return { removed: a.slice(start, a.length - end), added: b.slice(start, b.length - end) };
}

function edit(id: string, change: (values: Record<string, string>, form: { channels: string[] }) => void): string {
  const form = readOffer(original, id)!;
  change(form.values, form);
  return applyOfferEdit(original, id, form)!;
}

describe("offer editor: writing the catalogue", () => {
  test("fields read back as the loader reads them; an unchanged form writes the file byte for byte", () => {
    const loaded = parseCatalogue(FILE, original);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    for (const item of loaded.value.items) {
      const form = readOffer(original, item.id)!;
      expect(form.values.eligibility).toBe(item.eligibility);
      expect(Number(form.values.priority)).toBe(item.priority);
      expect(form.channels).toEqual(item.channels);
      expect(form.values["copy.en.headline"]).toBe(item.copy.en?.headline);
      expect(applyOfferEdit(original, item.id, form)).toBe(original);
    }
  });

  test("a headline edited: only its line changes, comments and folding of everything else stay", () => {
    const after = edit("winter-guide", (v) => {
      v["copy.en.headline"] = "Stay warm: spend less this winter";
    });
    expect(changed(original, after)).toEqual({
      removed: ["        headline: Stay warm for less this winter"],
      added: ['        headline: "Stay warm: spend less this winter"'],
    });
    expect(after).toContain("        # Only paper carries the code (qr: true).");
    const loaded = parseCatalogue(FILE, after);
    expect(loaded.ok && loaded.value.items.find((i) => i.id === "winter-guide")?.copy.en?.headline).toBe(
      "Stay warm: spend less this winter",
    );
  });

  test("priority, dates, channels and a folded body: each written in its own style, nothing else moves", () => {
    const body =
      "Our winter guide has ten simple ways to cut your energy use without feeling the cold, from the boiler to the curtains.";
    const after = edit("winter-guide", (v, form) => {
      v.priority = "56";
      v["valid.to"] = "2027-03-31";
      v["copy.en.body"] = body;
      form.channels = ["print", "email"];
      for (const l of ["en", "fr", "de"]) v[`copy.${l}.sms`] = "";
    });
    const { removed, added } = changed(original, after);
    expect(added.slice(0, 3)).toEqual([
      "    priority: 56",
      "    eligibility: usageTotal() > 0",
      "    valid: { from: 2026-10-01, to: 2027-03-31 }",
    ]);
    expect(added).toContain("    channels: [print, email]");
    expect(added).toContain("        body: >-");
    expect(added.filter((l) => l.includes("sms:"))).toEqual([]);
    expect(removed.filter((l) => l.includes("sms:"))).toHaveLength(3);
    // Lines outside the item are untouched, and the lines between edits inside it are the same lines.
    expect(added.length).toBeLessThan(removed.length);
    const loaded = parseCatalogue(FILE, after);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    const item = loaded.value.items.find((i) => i.id === "winter-guide")!;
    expect(item).toMatchObject({ priority: 56, channels: ["print", "email"], valid: { to: "2027-03-31" } });
    expect(item.copy.en?.body).toBe(body);
    expect(item.copy.en?.sms).toBeUndefined();
  });

  test("a key the item lacks goes where a person would write it", () => {
    const after = edit("paperless-switch", (v) => {
      v["valid.from"] = "2026-12-01";
    });
    expect(changed(original, after)).toEqual({
      removed: [],
      added: ["    valid: { from: 2026-12-01 }"],
    });
    const at = after.split("\n").indexOf("    valid: { from: 2026-12-01 }");
    expect(after.split("\n")[at - 1]).toBe("    eligibility: not preferences.paperless and exists(contact.email)");
  });

  test("a bad eligibility expression is reported at the field and the character typed", () => {
    const eligibility = 'not preferences.paperless and exists(contact.emial) and segment == "residential"';
    const after = edit("paperless-switch", (v) => {
      v.eligibility = eligibility;
    });
    const loaded = parseCatalogue(FILE, after);
    expect(loaded.ok).toBe(false);
    const problems = loaded.ok ? [] : loaded.problems;
    expect(problems.map((p) => p.code)).toEqual(["OMD_CATALOGUE_UNKNOWN_FIELD"]);
    expect(fieldAt(after, "paperless-switch", FILE, problems[0].at)).toEqual({
      field: "eligibility",
      offset: eligibility.indexOf("contact.emial"),
    });
  });

  test("a syntax error inside a quoted expression maps back through the quotes", () => {
    // Starting with a quote, the expression must be written quoted: the source runs one character ahead.
    const eligibility = '"vulnerable" == segment and and tenureMonths > 3';
    const after = edit("vulnerable-support", (v) => {
      v.eligibility = eligibility;
    });
    expect(changed(original, after).added).toEqual([`    eligibility: '${eligibility}'`]);
    const loaded = parseCatalogue(FILE, after);
    const problems = loaded.ok ? [] : loaded.problems;
    expect(problems).toHaveLength(1);
    const place = fieldAt(after, "vulnerable-support", FILE, problems[0].at);
    expect(place?.field).toBe("eligibility");
    expect(eligibility.slice(place?.offset)).toMatch(/^and tenureMonths/);
  });

  test("a copy problem lands on its field; one about the item's language, on that language", () => {
    const placesOf = (after: string) => {
      const loaded = parseCatalogue(FILE, after);
      return (loaded.ok ? [] : loaded.problems).map((p) => fieldAt(after, "paperless-switch", FILE, p.at)?.field);
    };
    const insecure = edit("paperless-switch", (v) => {
      v["copy.fr.cta.url"] = "http://insecure.example/fr";
    });
    expect(placesOf(insecure)).toEqual(["copy.fr.cta.url"]);
    // By SMS with no SMS text: the loader points at each language's copy, which the form shows as a whole.
    const bySms = edit("paperless-switch", (_v, form) => {
      form.channels = ["print", "email", "sms"];
    });
    expect(placesOf(bySms)).toEqual(["copy.en", "copy.fr", "copy.de"]);
    expect(fieldAt(bySms, "paperless-switch", FILE, `${FILE}:3:1`)).toBeUndefined();
  });
});
