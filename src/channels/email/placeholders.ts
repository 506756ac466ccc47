import { type Problem, problem } from "../../core/index.ts";

/**
 * Where Handlebars placeholders may stand in an MJML template, and whether they came through MJML intact.
 * Compile-time placeholders (`{{theme.*}}`, `{{palette.*}}`, `{{labels.*}}`, `{{lang}}`) are filled before
 * MJML runs; what is left is per customer and must pass through MJML verbatim.
 */

const MUSTACHE = /\{\{\{?[\s\S]*?\}?\}\}/g;
const COMPILE_TIME = /\{\{\s*(?:(theme|palette|labels)\.([\w.]+)|(lang))\s*\}\}/g;
/** MJML copies these attributes into the HTML as they are; every other attribute is typed and validated. */
const VERBATIM_ATTRIBUTES = new Set(["href", "src", "alt", "title"]);
const MJML_TAG = /<(mj-[a-z-]+|mjml)\b((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
const ATTRIBUTE = /([\w:-]+)\s*=\s*"([^"]*)"/g;
/** Plain comments: MJML drops them, so they are blanked first (keeping line and column of the rest). */
const COMMENT = /<!--(?!\[if|<!\[endif)[\s\S]*?-->/g;

export interface CompileTimeValues {
  theme: unknown;
  palette: unknown;
  labels: Record<string, string>;
  lang: string;
}

function position(text: string, index: number): string {
  const before = text.slice(0, index).split("\n");
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function lookup(root: unknown, path: string): unknown {
  let v: unknown = root;
  for (const key of path.split(".")) {
    if (v === null || typeof v !== "object" || !(key in v)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

export const blankComments = (source: string): string => source.replace(COMMENT, (c) => c.replace(/[^\n]/g, " "));

/** Fills the compile-time placeholders; unknown names and labels that need per-customer values are problems. */
export function fillCompileTime(
  source: string,
  values: CompileTimeValues,
  file: string,
): { text: string; problems: Problem[] } {
  const problems: Problem[] = [];
  const text = source.replace(
    COMPILE_TIME,
    (whole, root: string | undefined, path: string | undefined, _lang, index: number) => {
      const at = `${file}:${position(source, index)}`;
      if (!root) return escapeHtml(values.lang);
      const value = lookup(values[root as "theme" | "palette" | "labels"], path as string);
      if (typeof value !== "string" && typeof value !== "number") {
        problems.push(
          root === "labels"
            ? problem("OMD_TEMPLATE_UNKNOWN_LABEL", `${whole}: no such label`, at)
            : problem("OMD_TEMPLATE_UNKNOWN_FIELD", `${whole}: no such value`, at),
        );
        return whole;
      }
      if (root === "labels" && /\{\w+\}/.test(String(value))) {
        const names = [...String(value).matchAll(/\{(\w+)\}/g)].map((m) => `${m[1]}=…`).join(" ");
        problems.push(
          problem(
            "OMD_EMAIL_PLACEHOLDER",
            `${whole} has placeholders filled per customer ("${value}")`,
            at,
            `write {{label "${path}" ${names}}}`,
          ),
        );
        return whole;
      }
      return escapeHtml(String(value));
    },
  );
  return { text, problems };
}

/** Per-customer placeholders inside typed MJML attributes: MJML would reject, drop or rewrite them. */
export function misplacedPlaceholders(mjml: string, file: string): Problem[] {
  const problems: Problem[] = [];
  for (const tag of mjml.matchAll(MJML_TAG)) {
    for (const attr of tag[2].matchAll(ATTRIBUTE)) {
      // A compile-time placeholder still here is unknown, and reported as such already.
      if (!attr[2].replace(COMPILE_TIME, "").includes("{{") || VERBATIM_ATTRIBUTES.has(attr[1])) continue;
      const index = (tag.index ?? 0) + 1 + tag[1].length + (attr.index ?? 0);
      problems.push(
        problem(
          "OMD_EMAIL_PLACEHOLDER",
          `<${tag[1]} ${attr[1]}="${attr[2]}">: MJML validates ${attr[1]}, so a per-customer value cannot go there`,
          `${file}:${position(mjml, index)}`,
          "use {{palette.*}} or {{theme.*}} (filled before MJML), or move the value into text, href, src, alt or title",
        ),
      );
    }
  }
  return problems;
}

/** Placeholders of the MJML source that are missing from MJML's HTML (dropped, split or re-escaped). */
export function lostPlaceholders(mjml: string, html: string, file: string): Problem[] {
  const seen = new Map<string, number>();
  for (const m of html.matchAll(MUSTACHE)) seen.set(m[0], (seen.get(m[0]) ?? 0) + 1);
  const problems: Problem[] = [];
  for (const m of mjml.matchAll(MUSTACHE)) {
    const left = seen.get(m[0]) ?? 0;
    if (left > 0) {
      seen.set(m[0], left - 1);
      continue;
    }
    problems.push(
      problem(
        "OMD_EMAIL_PLACEHOLDER",
        `${m[0]} did not come through MJML intact`,
        `${file}:${position(mjml, m.index ?? 0)}`,
        "per-customer placeholders belong in element text, href/src/alt/title or mj-raw; wrap a block helper between MJML elements in its own mj-raw",
      ),
    );
  }
  return problems;
}
