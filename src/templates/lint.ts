import Handlebars from "handlebars";
import { LineCounter, isMap, isScalar, parseDocument } from "yaml";
import { type Problem, problem } from "../core/index.ts";
import type { TemplatePackage } from "./types.ts";

/**
 * The labels lint: a missing translation must fail a lint, never reach a customer. Checks that every label
 * exists, non-empty, in every language the package declares, with the same `{placeholders}` in each, and that
 * every label the package's templates use (`labels.x`, `{{label "x"}}`) is defined.
 */

interface LabelEntry {
  line: number;
  col: number;
  value: unknown;
}

interface LocaleFile {
  path: string;
  entries: Map<string, LabelEntry>;
}

const TEMPLATE_FILE = /\.(hbs|mjml)$/;

function readLocale(pkg: TemplatePackage, lang: string): LocaleFile | undefined {
  const rel = `locales/${lang}.yaml`;
  const text = pkg.files[rel];
  if (text === undefined) return undefined;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const entries = new Map<string, LabelEntry>();
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      if (!isScalar(pair.key)) continue;
      const { line, col } = lineCounter.linePos(pair.key.range?.[0] ?? 0);
      entries.set(String(pair.key.value), { line, col, value: isScalar(pair.value) ? pair.value.value : pair.value });
    }
  }
  return { path: `${pkg.dir}/${rel}`, entries };
}

const placeholders = (value: unknown) =>
  typeof value === "string" ? [...new Set(Array.from(value.matchAll(/\{(\w+)\}/g), (m) => m[1]))].sort().join(",") : "";

interface LabelUse {
  key: string;
  at: string;
}

/**
 * Markup comments (`<!-- … -->`) document a template and never render, so mentions of labels in them do not
 * count. Blanked rather than removed so lines and columns stay true.
 */
function withoutMarkupComments(text: string): string {
  return text.replace(/<!--[\s\S]*?-->/g, (c) => c.replace(/[^\n]/g, " "));
}

/** Labels a template uses, from its Handlebars syntax tree: comments and text that merely mention one do not count. */
function labelUses(text: string, where: string): LabelUse[] | Problem {
  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(withoutMarkupComments(text));
  } catch (e) {
    const err = e as Error & { lineNumber?: number; column?: number };
    return problem(
      "OMD_TEMPLATE_SYNTAX",
      err.message.split("\n")[0],
      `${where}:${err.lineNumber ?? 1}:${(err.column ?? 0) + 1}`,
    );
  }
  const uses: LabelUse[] = [];
  const at = (loc: hbs.AST.SourceLocation) => `${where}:${loc.start.line}:${loc.start.column + 1}`;
  const helperCall = (node: hbs.AST.MustacheStatement | hbs.AST.SubExpression | hbs.AST.BlockStatement) => {
    const name = node.params[0];
    if ((node.path as hbs.AST.PathExpression).original === "label" && name?.type === "StringLiteral") {
      uses.push({ key: (name as hbs.AST.StringLiteral).value, at: at(name.loc) });
    }
  };
  class Uses extends Handlebars.Visitor {
    override PathExpression(path: hbs.AST.PathExpression): void {
      const i = path.data && path.parts[0] === "root" ? 1 : 0;
      if (path.parts[i] === "labels" && path.parts.length === i + 2)
        uses.push({ key: path.parts[i + 1], at: at(path.loc) });
    }
    override MustacheStatement(node: hbs.AST.MustacheStatement): void {
      helperCall(node);
      super.MustacheStatement(node);
    }
    override SubExpression(node: hbs.AST.SubExpression): void {
      helperCall(node);
      super.SubExpression(node);
    }
    override BlockStatement(node: hbs.AST.BlockStatement): void {
      helperCall(node);
      super.BlockStatement(node);
    }
  }
  new Uses().accept(ast);
  return uses;
}

export function lintLabels(pkg: TemplatePackage): Problem[] {
  const problems: Problem[] = [];
  const locales = new Map<string, LocaleFile>();
  for (const lang of pkg.manifest.languages) {
    const file = readLocale(pkg, lang);
    if (file) locales.set(lang, file);
    else
      problems.push(
        problem("OMD_TEMPLATE_MISSING_TRANSLATION", `no labels for ${lang}`, `${pkg.dir}/locales/${lang}.yaml`),
      );
  }

  const allKeys = new Set([...locales.values()].flatMap((f) => [...f.entries.keys()]));
  for (const key of allKeys) {
    const having = [...locales].filter(([, f]) => {
      const v = f.entries.get(key)?.value;
      return typeof v === "string" && v.trim() !== "";
    });
    const [refLang, ref] = having[0] ?? [...locales].find(([, f]) => f.entries.has(key))!;
    const refEntry = ref.entries.get(key)!;
    for (const [lang, file] of locales) {
      const entry = file.entries.get(key);
      const value = entry?.value;
      if (typeof value !== "string" || value.trim() === "") {
        // Point at the key where it is translated: that is the line a translator copies.
        const source = entry ?? refEntry;
        const sourcePath = entry ? file.path : ref.path;
        problems.push(
          problem(
            "OMD_TEMPLATE_MISSING_TRANSLATION",
            entry
              ? `label ${key} is empty in ${lang}`
              : `label ${key} has no ${lang} translation (${refLang} has it here)`,
            `${sourcePath}:${source.line}:${source.col}`,
            `add ${key} to locales/${lang}.yaml`,
          ),
        );
      } else if (placeholders(value) !== placeholders(refEntry.value)) {
        problems.push(
          problem(
            "OMD_TEMPLATE_LABEL_PLACEHOLDERS",
            `label ${key} in ${lang} has placeholders {${placeholders(value)}} where ${refLang} has {${placeholders(refEntry.value)}}`,
            `${file.path}:${entry!.line}:${entry!.col}`,
          ),
        );
      }
    }
  }

  for (const [rel, text] of Object.entries(pkg.files)) {
    if (!TEMPLATE_FILE.test(rel)) continue;
    const uses = labelUses(text, `${pkg.dir}/${rel}`);
    if (!Array.isArray(uses)) {
      problems.push(uses);
      continue;
    }
    for (const use of uses) {
      if (!allKeys.has(use.key)) {
        problems.push(
          problem(
            "OMD_TEMPLATE_UNKNOWN_LABEL",
            `label ${use.key} is used but not defined`,
            use.at,
            "add it to every locales/<lang>.yaml",
          ),
        );
      }
    }
  }
  return problems;
}
