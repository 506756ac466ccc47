import { parseDocument } from "yaml";
import { type Problem, type Result, type World, fail, ok, problem } from "../core/index.ts";
import type { Theme } from "./theme.ts";
import type { TemplateManifest, TemplatePackage } from "./types.ts";

const TEXT_FILE = /\.(hbs|mjml|yaml|yml|txt|css|svg)$/;

/** Parses a YAML file, reporting errors at file:line:column. */
export function readYaml<T>(world: World, path: string): Result<T> {
  let text: string;
  try {
    text = world.readText(path);
  } catch {
    return fail(problem("OMD_TEMPLATE_NOT_FOUND", `cannot read ${path}`, path));
  }
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) {
    return fail(
      ...doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return problem("OMD_TEMPLATE_SYNTAX", e.message.split("\n")[0], pos ? `${path}:${pos.line}:${pos.col}` : path);
      }),
    );
  }
  return ok(doc.toJS() as T);
}

function listFiles(world: World, dir: string, prefix = ""): string[] {
  return world.list(prefix ? `${dir}/${prefix}` : dir).flatMap((name) => {
    const rel = prefix ? `${prefix}/${name}` : name;
    if (TEXT_FILE.test(name)) return [rel];
    return name.includes(".") ? [] : listFiles(world, dir, rel);
  });
}

/** Reads `dir/template.yaml`, every text file of the package and `locales/<lang>.yaml`; compiles nothing. */
export function loadTemplatePackage(world: World, dir: string, theme: Theme): Result<TemplatePackage> {
  const manifest = readYaml<TemplateManifest>(world, `${dir}/template.yaml`);
  if (!manifest.ok) return manifest;
  const problems: Problem[] = [];
  const files: Record<string, string> = {};
  for (const rel of listFiles(world, dir)) files[rel] = world.readText(`${dir}/${rel}`);
  const locales: Record<string, Record<string, string>> = {};
  for (const lang of manifest.value.languages ?? []) {
    const labels = readYaml<Record<string, string>>(world, `${dir}/locales/${lang}.yaml`);
    if (labels.ok) locales[lang] = labels.value ?? {};
    else problems.push(...labels.problems);
  }
  for (const [channel, spec] of Object.entries(manifest.value.channels ?? {})) {
    if (!spec || !(spec.file in files))
      problems.push(
        problem(
          "OMD_TEMPLATE_NOT_FOUND",
          `channel ${channel} names file ${spec?.file}, which the package lacks`,
          `${dir}/template.yaml`,
        ),
      );
  }
  if (problems.length > 0) return fail(...problems);
  return ok({ manifest: manifest.value, dir, files, locales, theme });
}
