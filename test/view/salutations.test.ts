import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { type Engine, buildEngine, compose, nodeWorld, parseProfileLine } from "../../src/index.ts";
import { LANGUAGES, type Language, type Profile } from "../../src/profile/index.ts";
import { labelOf } from "../../src/view/index.ts";
import { generateLines, inArrears } from "../support/customers.ts";
import { labelsFor, makeProfile, viewOf } from "./fixtures.ts";

/**
 * Courtesy titles as each language writes them (the forms of address its post uses): a French letter says
 * `M.`/`Mme`, a German one `Herr`/`Frau`, and neither has a form for Mx, so their greeting is the name alone.
 */
const OWN: Record<Language, readonly string[]> = {
  en: ["Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof"],
  fr: ["M.", "Mme", "Dr", "Pr"],
  de: ["Herr", "Frau", "Dr.", "Prof."],
};
const ENGLISH_ONLY = ["Mr", "Mrs", "Ms", "Miss", "Mx"];
const EVERY_TITLE = [...new Set(Object.values(OWN).flat())];

/** The titles a greeting prints: every known title standing as a word before the name. */
const titlesIn = (greeting: string) =>
  EVERY_TITLE.filter((t) => new RegExp(`(^|\\s)${t.replace(".", "\\.")}(?=\\s)`).test(greeting));

const withLanguage = (p: Profile, language: Language): Profile => ({
  ...p,
  preferences: { ...p.preferences, language },
});

const customers = generateLines(300, "--seed", "15").map((line, i) => {
  const p = parseProfileLine(line, i + 1);
  if (!p.ok) throw new Error(JSON.stringify(p.problems));
  return p.value;
});

describe("salutations over generated customers, in every language", () => {
  it("greets in the customer's language with that language's titles only, and drops what it has no form for", () => {
    const counts = { greetings: 0, titled: 0, dropped: 0 };
    for (const p of customers) {
      for (const language of LANGUAGES) {
        const view = viewOf(withLanguage(p, language));
        const greeting = labelOf(labelsFor(language), "greeting", { name: view.customer.fullName });
        counts.greetings++;
        const printed = titlesIn(greeting.replace(/^(Dear|Bonjour|Guten Tag) /, " "));
        for (const t of printed) expect(OWN[language], `${p.id} ${language}: ${greeting}`).toContain(t);
        if (language !== "en")
          for (const t of ENGLISH_ONLY) expect(printed, `${p.id} ${language}: ${greeting}`).not.toContain(t);
        expect(printed.length, greeting).toBeLessThanOrEqual(1);
        if (printed.length > 0) counts.titled++;
        // Every title a customer gave is kept but Mx where the language has no form for it.
        if (p.name.title && !(p.name.title === "Mx" && language !== "en")) expect(printed, greeting).toHaveLength(1);
        if (p.name.title === "Mx" && language !== "en") {
          counts.dropped++;
          expect(greeting).toContain(`${p.name.first} ${p.name.last},`);
        }
      }
    }
    expect(counts.greetings).toBe(900);
    expect(counts.titled).toBeGreaterThan(400);
    expect(counts.dropped).toBeGreaterThan(10);
  });

  it("writes each title in each language as its post does", () => {
    const name = (title: string, language: Language) =>
      viewOf(makeProfile({ language, name: { title, first: "Camille", last: "Martin" } })).customer.fullName;
    const table: [string, Record<Language, string>][] = [
      ["Mr", { en: "Mr Camille Martin", fr: "M. Camille Martin", de: "Herr Camille Martin" }],
      ["M.", { en: "Mr Camille Martin", fr: "M. Camille Martin", de: "Herr Camille Martin" }],
      ["Herr", { en: "Mr Camille Martin", fr: "M. Camille Martin", de: "Herr Camille Martin" }],
      ["Mrs", { en: "Mrs Camille Martin", fr: "Mme Camille Martin", de: "Frau Camille Martin" }],
      ["Mme", { en: "Ms Camille Martin", fr: "Mme Camille Martin", de: "Frau Camille Martin" }],
      ["Frau", { en: "Ms Camille Martin", fr: "Mme Camille Martin", de: "Frau Camille Martin" }],
      ["Miss", { en: "Miss Camille Martin", fr: "Mme Camille Martin", de: "Frau Camille Martin" }],
      ["Mx", { en: "Mx Camille Martin", fr: "Camille Martin", de: "Camille Martin" }],
      ["Dr.", { en: "Dr Camille Martin", fr: "Dr Camille Martin", de: "Dr. Camille Martin" }],
      ["", { en: "Camille Martin", fr: "Camille Martin", de: "Camille Martin" }],
      ["Rev", { en: "Rev Camille Martin", fr: "Rev Camille Martin", de: "Rev Camille Martin" }],
    ];
    for (const [title, expected] of table)
      for (const language of LANGUAGES)
        expect(name(title, language), `${title} in ${language}`).toBe(expected[language]);
  });
});

describe("one salutation in every channel", () => {
  let engine: Engine;
  beforeAll(async () => {
    const built = await buildEngine(nodeWorld());
    if (!built.ok) throw new Error(JSON.stringify(built.problems));
    engine = built.value;
  });

  const pdfText = async (bytes: Uint8Array) => {
    const file = join(mkdtempSync(join(tmpdir(), "omnidoc-salutation-")), "doc.pdf");
    writeFileSync(file, bytes);
    const { stdout } = await promisify(execFile)("pdftotext", ["-enc", "UTF-8", file, "-"], { encoding: "utf8" });
    return stdout.replace(/\s+/g, " ");
  };

  const cases: [Language, string, string][] = [
    ["fr", "Mr", "Bonjour M. Camille Martin,"],
    ["fr", "Mx", "Bonjour Camille Martin,"],
    ["de", "Mx", "Guten Tag Camille Martin,"],
    ["de", "Mrs", "Guten Tag Frau Camille Martin,"],
    ["en", "Herr", "Dear Mr Camille Martin,"],
  ];
  for (const [language, title, expected] of cases) {
    it(`${title} in ${language}: "${expected}" in the statement, the email and the reminder letter`, async () => {
      const profile = makeProfile({ language, name: { title, first: "Camille", last: "Martin" } });
      const options = { runDate: "2026-11-01", channelOptions: { emailChart: false } } as const;
      const bill = await compose(engine, profile, { ...options, template: "energy-bill", channels: ["pdf", "email"] });
      const letter = await compose(engine, inArrears(profile), {
        ...options,
        template: "payment-reminder",
        channels: ["pdf"],
      });
      if (!bill.ok || !letter.ok) throw new Error("not composed");
      expect(await pdfText(bill.value.pdf!.bytes)).toContain(expected);
      expect(bill.value.email!.text.replace(/\s+/g, " ")).toContain(expected);
      expect(await pdfText(letter.value.pdf!.bytes)).toContain(expected);
    });
  }
});
