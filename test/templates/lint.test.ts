import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type TemplatePackage, lintLabels } from "../../src/templates/index.ts";

function pkg(files: Record<string, string>, languages: ("en" | "fr" | "de")[] = ["en", "fr", "de"]): TemplatePackage {
  return {
    manifest: { id: "t", version: "1", name: "T", languages, channels: {} },
    dir: "templates/t",
    files,
    locales: {},
    theme: undefined as never,
  };
}

const EN = "# labels\ntitle: Statement\ngreeting: Dear {name},\npageOf: Page {page} of {pages}\n";
const FR = "title: Relevé\ngreeting: Bonjour {name},\npageOf: Page {page} sur {pages}\n";
const DE = "title: Abrechnung\ngreeting: Guten Tag {name},\npageOf: Seite {page} von {pages}\n";

describe("lintLabels", () => {
  it("passes a package whose labels exist in every language and whose templates use only those", () => {
    const files = {
      "locales/en.yaml": EN,
      "locales/fr.yaml": FR,
      "locales/de.yaml": DE,
      "statement.hbs": "<h1>{{labels.title}}</h1>{{#each pages}}{{@root.labels.pageOf}}{{../labels.title}}{{/each}}",
      "sms.hbs": '{{#part "a"}}{{label "greeting" name=(label "title")}}{{/part}}',
    };
    expect(lintLabels(pkg(files))).toEqual([]);
  });

  it("reports a missing translation at the key's line in a language that has it", () => {
    const fr = "title: Relevé\npageOf: Page {page} sur {pages}\n";
    const problems = lintLabels(pkg({ "locales/en.yaml": EN, "locales/fr.yaml": fr, "locales/de.yaml": DE }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      code: "OMD_TEMPLATE_MISSING_TRANSLATION",
      at: "templates/t/locales/en.yaml:3:1",
    });
    expect(problems[0].message).toContain("greeting");
    expect(problems[0].message).toContain("fr");
  });

  it("reports a key that only one language has, once for each language lacking it", () => {
    const de = `${DE}extra: Nur auf Deutsch\n`;
    const problems = lintLabels(pkg({ "locales/en.yaml": EN, "locales/fr.yaml": FR, "locales/de.yaml": de }));
    expect(problems.map((p) => [p.code, p.at])).toEqual([
      ["OMD_TEMPLATE_MISSING_TRANSLATION", "templates/t/locales/de.yaml:4:1"],
      ["OMD_TEMPLATE_MISSING_TRANSLATION", "templates/t/locales/de.yaml:4:1"],
    ]);
  });

  it("treats an empty translation as missing, at its own line", () => {
    const fr = "title: Relevé\ngreeting:\npageOf: Page {page} sur {pages}\n";
    const problems = lintLabels(pkg({ "locales/en.yaml": EN, "locales/fr.yaml": fr, "locales/de.yaml": DE }));
    expect(problems.map((p) => [p.code, p.at])).toEqual([
      ["OMD_TEMPLATE_MISSING_TRANSLATION", "templates/t/locales/fr.yaml:2:1"],
    ]);
  });

  it("reports a translation that lost a placeholder", () => {
    const de = "title: Abrechnung\ngreeting: Guten Tag,\npageOf: Seite {page} von {pages}\n";
    const problems = lintLabels(pkg({ "locales/en.yaml": EN, "locales/fr.yaml": FR, "locales/de.yaml": de }));
    expect(problems.map((p) => [p.code, p.at])).toEqual([
      ["OMD_TEMPLATE_LABEL_PLACEHOLDERS", "templates/t/locales/de.yaml:2:1"],
    ]);
  });

  it("reports a language with no locale file", () => {
    const problems = lintLabels(pkg({ "locales/en.yaml": EN, "locales/fr.yaml": FR }));
    expect(problems.map((p) => [p.code, p.at])).toEqual([
      ["OMD_TEMPLATE_MISSING_TRANSLATION", "templates/t/locales/de.yaml"],
    ]);
  });

  it("reports labels a template uses but no locale defines, at the use; comments do not count", () => {
    const files = {
      "locales/en.yaml": EN,
      "locales/fr.yaml": FR,
      "locales/de.yaml": DE,
      "email.mjml": "<mj-text>\n  {{labels.title}} {{labels.balanceDeu}}\n</mj-text>{{!-- {{labels.notReal}} --}}",
      "sms.hbs": '{{#part "a"}}\n{{label "smsGreting" first=x}}{{/part}}',
    };
    const problems = lintLabels(pkg(files));
    expect(problems.map((p) => [p.code, p.at])).toEqual([
      ["OMD_TEMPLATE_UNKNOWN_LABEL", "templates/t/email.mjml:2:22"],
      ["OMD_TEMPLATE_UNKNOWN_LABEL", "templates/t/sms.hbs:2:9"],
    ]);
  });
});

describe("the energy-bill package's labels", () => {
  const dir = "templates/energy-bill";
  const files: Record<string, string> = {};
  for (const lang of ["en", "fr", "de"])
    files[`locales/${lang}.yaml`] = readFileSync(`${dir}/locales/${lang}.yaml`, "utf8");
  const manifest = parse(readFileSync(`${dir}/template.yaml`, "utf8"));

  it("are complete in en, fr and de with matching placeholders", () => {
    expect(lintLabels({ manifest, dir, files, locales: {}, theme: undefined as never })).toEqual([]);
  });

  it("cover every label the SMS template uses", () => {
    const sms = { ...files, "sms.hbs": readFileSync(`${dir}/sms.hbs`, "utf8") };
    expect(lintLabels({ manifest, dir, files: sms, locales: {}, theme: undefined as never })).toEqual([]);
    expect(readdirSync(dir)).toContain("sms.hbs");
  });
});

describe("lintLabels and markup comments", () => {
  it("ignores labels mentioned in <!-- --> comments and keeps locations after them true", () => {
    const files = {
      "locales/en.yaml": EN,
      "locales/fr.yaml": FR,
      "locales/de.yaml": DE,
      "email.mjml": "<!--\n  {{labels.*}} and {{labels.nope}}\n-->\n<mj-text>{{labels.missing}}</mj-text>",
    };
    expect(lintLabels(pkg(files)).map((p) => [p.code, p.at])).toEqual([
      ["OMD_TEMPLATE_UNKNOWN_LABEL", "templates/t/email.mjml:4:12"],
    ]);
  });
});
