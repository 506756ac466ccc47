import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildEngine } from "../../src/engine.ts";
import { nodeWorld } from "../../src/node-world.ts";
import { loadTemplatePackage, loadTheme } from "../../src/templates/index.ts";

/** Theme and template files are real files in a scratch folder; fonts resolve from the repository. */
const world = nodeWorld(new URL("../..", import.meta.url).pathname);
const scratch = mkdtempSync(join(tmpdir(), "omnidoc-load-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const SAMPLE_THEME = readFileSync("samples/theme.yaml", "utf8");
const theme = () => {
  const t = loadTheme(world, "samples/theme.yaml");
  if (!t.ok) throw new Error("the sample theme does not load");
  return t.value;
};

let n = 0;
function write(files: Record<string, string>): string {
  const dir = join(scratch, `case-${++n}`);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

const themeProblems = (yaml: string) => {
  const dir = write({ "theme.yaml": yaml });
  const r = loadTheme(world, `${dir}/theme.yaml`);
  return { file: `${dir}/theme.yaml`, problems: r.ok ? [] : r.problems };
};

const MANIFEST = `id: letter
version: 1.0.0
name: Letter
languages: [en]
channels:
  pdf:
    file: letter.hbs
`;

const packageProblems = (manifest: string, files: Record<string, string> = {}) => {
  const dir = write({ "template.yaml": manifest, "letter.hbs": "<p>x</p>", "locales/en.yaml": "title: T\n", ...files });
  const r = loadTemplatePackage(world, dir, theme());
  return { file: `${dir}/template.yaml`, problems: r.ok ? [] : r.problems };
};

describe("the theme", () => {
  it("loads the sample theme", () => {
    expect(loadTheme(world, "samples/theme.yaml").ok).toBe(true);
  });

  it("without fonts is a problem at the file's first key, naming the missing key", () => {
    const yaml = SAMPLE_THEME.replace(/^fonts:\n(?: {2}.*\n)+/m, "");
    const { file, problems } = themeProblems(yaml);
    expect(problems).toEqual([
      expect.objectContaining({
        code: "OMD_THEME_INVALID",
        at: `${file}:2:1`,
        message: expect.stringMatching(/fonts/),
      }),
    ]);
  });

  it("with a colour that is not a string, or not #RRGGBB, names each colour's line and column", () => {
    const yaml = SAMPLE_THEME.replace('primary: "#0B4F6C"', "primary: 12").replace(
      'accent: "#F2A541"',
      "accent: amber",
    );
    const { file, problems } = themeProblems(yaml);
    expect(problems.map((p) => [p.code, p.at, p.message])).toEqual([
      ["OMD_THEME_INVALID", `${file}:10:12`, "colours.primary must be string"],
      ["OMD_THEME_INVALID", `${file}:12:11`, 'colours.accent must match pattern "^#[0-9A-Fa-f]{6}$"'],
    ]);
  });

  it("naming a font file that does not exist is a problem at that font's line", () => {
    const yaml = SAMPLE_THEME.replace("DejaVuSans-Bold.ttf", "NoSuchFont.ttf");
    const { file, problems } = themeProblems(yaml);
    expect(problems.map((p) => [p.code, p.at])).toEqual([["OMD_THEME_FONT_UNUSABLE", `${file}:22:9`]]);
  });

  it("names the sender's country, and its language unless it is the country's own", () => {
    const t = loadTheme(world, "samples/theme.yaml");
    expect(t.ok && t.value.sender).toEqual({ country: "GB", language: "en" });
    const swiss = themeProblems(SAMPLE_THEME.replace("  country: GB", "  country: CH\n  language: fr"));
    expect(swiss.problems).toEqual([]);
    const { file, problems } = themeProblems(SAMPLE_THEME.replace("  country: GB", "  country: Britain"));
    expect(problems.map((p) => [p.code, p.at, p.message])).toEqual([
      ["OMD_THEME_INVALID", `${file}:30:12`, 'sender.country must match pattern "^[A-Z]{2}$"'],
    ]);
  });

  it("that is not YAML, or not there, is a problem, never a throw", () => {
    const { file, problems } = themeProblems("brand: [unclosed\n");
    expect(problems[0]).toMatchObject({ code: "OMD_THEME_INVALID", at: expect.stringMatching(`^${file}:\\d+:\\d+$`) });
    const gone = loadTheme(world, `${scratch}/nowhere.yaml`);
    expect(gone.ok ? [] : gone.problems.map((p) => p.code)).toEqual(["OMD_THEME_UNREADABLE"]);
  });

  it("that is broken fails buildEngine with the problem instead of a TypeError", async () => {
    const dir = write({ "theme.yaml": SAMPLE_THEME.replace(/^fonts:\n(?: {2}.*\n)+/m, "") });
    const r = await buildEngine(world, { theme: `${dir}/theme.yaml` });
    expect(r.ok ? [] : r.problems.map((p) => p.code)).toEqual(["OMD_THEME_INVALID"]);
  });
});

describe("a template manifest", () => {
  it("of each shipped template loads", () => {
    for (const dir of ["templates/energy-bill", "templates/payment-reminder"])
      expect(loadTemplatePackage(world, dir, theme()).ok).toBe(true);
  });

  it("with `languages: en` (a string, not a list) is a problem at the value", () => {
    const { file, problems } = packageProblems(MANIFEST.replace("languages: [en]", "languages: en"));
    expect(problems.map((p) => [p.code, p.at, p.message])).toEqual([
      ["OMD_TEMPLATE_MANIFEST_INVALID", `${file}:4:12`, "languages must be array"],
    ]);
  });

  it("with an unknown channel is a problem at that channel's key", () => {
    const { file, problems } = packageProblems(`${MANIFEST}  fax:\n    file: letter.hbs\n`);
    expect(problems.map((p) => [p.code, p.at, p.message])).toEqual([
      ["OMD_TEMPLATE_MANIFEST_INVALID", `${file}:9:5`, 'channels has an unknown key "fax"'],
    ]);
  });

  it("without an id is a problem naming the missing key", () => {
    const { file, problems } = packageProblems(MANIFEST.replace("id: letter\n", ""));
    expect(problems.map((p) => [p.code, p.at, p.message])).toEqual([
      ["OMD_TEMPLATE_MANIFEST_INVALID", `${file}:1:1`, "the template manifest must have required property 'id'"],
    ]);
  });

  it("with an SMS budget of 0 segments or a language omnidoc does not format is a problem at the value", () => {
    const sms = `${MANIFEST}  sms:\n    file: letter.hbs\n    budget: 0\n`.replace("[en]", "[en, es]");
    const { file, problems } = packageProblems(sms);
    expect(problems.map((p) => [p.code, p.at])).toEqual([
      ["OMD_TEMPLATE_MANIFEST_INVALID", `${file}:4:17`],
      ["OMD_TEMPLATE_MANIFEST_INVALID", `${file}:10:13`],
    ]);
  });

  it("asking for a file or a locale the package lacks is a problem where it asks", () => {
    const { file, problems } = packageProblems(
      MANIFEST.replace("[en]", "[en, fr]").replace("file: letter.hbs", "file: missing.hbs"),
    );
    expect(problems.map((p) => [p.code, p.at])).toEqual([
      ["OMD_TEMPLATE_FILE_MISSING", `${file}:4:17`],
      ["OMD_TEMPLATE_FILE_MISSING", `${file}:7:11`],
    ]);
  });

  it("that is broken fails buildEngine with its problems, the other templates still checked", async () => {
    const templates = join(scratch, "templates");
    cpSync("templates/payment-reminder", join(templates, "payment-reminder"), { recursive: true });
    mkdirSync(join(templates, "broken"));
    writeFileSync(join(templates, "broken", "template.yaml"), MANIFEST.replace("languages: [en]", "languages: en"));
    const r = await buildEngine(world, { templatesDir: templates });
    expect(r.ok ? [] : r.problems.map((p) => [p.code, p.at])).toEqual([
      ["OMD_TEMPLATE_MANIFEST_INVALID", `${templates}/broken/template.yaml:4:12`],
    ]);
  });
});
