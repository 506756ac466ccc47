import type { ValidateFunction } from "ajv";
import {
  type Problem,
  type ProblemCode,
  type Result,
  type World,
  type YamlLocator,
  fail,
  languageOf,
  ok,
  parseYaml,
  problem,
  schemaProblem,
} from "../core/index.ts";
import { checkManifest, checkTheme } from "./schema.ts";
import type { Theme } from "./theme.ts";
import type { TemplateManifest, TemplatePackage } from "./types.ts";

const TEXT_FILE = /\.(hbs|mjml|yaml|yml|txt|css|svg)$/;

/** What a checked YAML file is called in problems and which codes its failures carry. */
interface YamlKind {
  subject: string;
  unreadable: ProblemCode;
  invalid: ProblemCode;
}

const THEME: YamlKind = { subject: "the theme", unreadable: "OMD_THEME_UNREADABLE", invalid: "OMD_THEME_INVALID" };
const MANIFEST: YamlKind = {
  subject: "the template manifest",
  unreadable: "OMD_TEMPLATE_FILE_MISSING",
  invalid: "OMD_TEMPLATE_MANIFEST_INVALID",
};
const LOCALE: YamlKind = {
  subject: "the labels",
  unreadable: "OMD_TEMPLATE_FILE_MISSING",
  invalid: "OMD_TEMPLATE_SYNTAX",
};

/** Reads and parses a YAML file and, given a schema, checks it; every problem names file:line:column. */
function readChecked<T>(
  world: World,
  path: string,
  kind: YamlKind,
  check?: ValidateFunction,
): Result<{ value: T; locate: YamlLocator }> {
  let text: string;
  try {
    text = world.readText(path);
  } catch {
    return fail(problem(kind.unreadable, `cannot read ${path}`, path));
  }
  const parsed = parseYaml(path, text, kind.invalid);
  if (!parsed.ok) return parsed;
  const { value, locate } = parsed.value;
  if (check && !check(value))
    return fail(...(check.errors ?? []).map((e) => schemaProblem(kind.invalid, e, locate, kind.subject)));
  return ok({ value: value as T, locate });
}

/** The brand theme, checked against its schema, with every font it names present. */
export function loadTheme(world: World, path: string): Result<Theme> {
  const read = readChecked<Theme>(world, path, THEME, checkTheme);
  if (!read.ok) return read;
  const { value: theme, locate } = read.value;
  const missing = Object.entries(theme.fonts)
    .filter(([face, file]) => face !== "emailStack" && !world.exists(file))
    .map(([face, file]) =>
      problem(
        "OMD_THEME_FONT_UNUSABLE",
        `font ${face} names ${file}, which does not exist`,
        locate.node(["fonts", face]),
      ),
    );
  if (missing.length > 0) return fail(...missing);
  return ok({
    ...theme,
    sender: { ...theme.sender, language: theme.sender.language ?? languageOf(theme.sender.country) },
  });
}

function listFiles(world: World, dir: string, prefix = ""): string[] {
  return world.list(prefix ? `${dir}/${prefix}` : dir).flatMap((name) => {
    const rel = prefix ? `${prefix}/${name}` : name;
    if (TEXT_FILE.test(name)) return [rel];
    return name.includes(".") ? [] : listFiles(world, dir, rel);
  });
}

/**
 * Reads `dir/template.yaml` (checked against its schema), every text file of the package and
 * `locales/<lang>.yaml`; compiles nothing. A missing file is reported where the manifest asks for it.
 */
export function loadTemplatePackage(world: World, dir: string, theme: Theme): Result<TemplatePackage> {
  const read = readChecked<TemplateManifest>(world, `${dir}/template.yaml`, MANIFEST, checkManifest);
  if (!read.ok) return read;
  const { value: manifest, locate } = read.value;
  const problems: Problem[] = [];
  const files: Record<string, string> = {};
  for (const rel of listFiles(world, dir)) files[rel] = world.readText(`${dir}/${rel}`);
  const locales: Record<string, Record<string, string>> = {};
  for (const [i, lang] of manifest.languages.entries()) {
    const rel = `locales/${lang}.yaml`;
    if (!(rel in files)) {
      problems.push(
        problem(
          "OMD_TEMPLATE_FILE_MISSING",
          `language ${lang} needs ${rel}, which the package lacks`,
          locate.node(["languages", i]),
        ),
      );
      continue;
    }
    const labels = readChecked<Record<string, string> | null>(world, `${dir}/${rel}`, LOCALE);
    if (labels.ok) locales[lang] = labels.value.value ?? {};
    else problems.push(...labels.problems);
  }
  for (const [channel, spec] of Object.entries(manifest.channels)) {
    if (!(spec.file in files))
      problems.push(
        problem(
          "OMD_TEMPLATE_FILE_MISSING",
          `channel ${channel} names file ${spec.file}, which the package lacks`,
          locate.node(["channels", channel, "file"]),
        ),
      );
  }
  if (problems.length > 0) return fail(...problems);
  return ok({ manifest, dir, files, locales, theme });
}
