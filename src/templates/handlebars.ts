import Handlebars from "handlebars";
import type { TemplatePackage } from "./types.ts";

export type HandlebarsEnv = typeof Handlebars;

/**
 * An isolated Handlebars environment for one template package: its partials (`partials/x.hbs` → `{{> x}}`)
 * and the helpers every channel may use. Templates compiled from it escape data by default, so a name like
 * `</p><script>` stays text.
 */
export function createHandlebars(pkg: TemplatePackage): HandlebarsEnv {
  const hb = Handlebars.create();
  for (const [path, text] of Object.entries(pkg.files)) {
    const m = /^partials\/(.+)\.hbs$/.exec(path);
    if (m) hb.registerPartial(m[1], text);
  }
  hb.registerHelper("eq", (a: unknown, b: unknown) => a === b);
  hb.registerHelper("not", (a: unknown) => !a);
  hb.registerHelper("and", (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  hb.registerHelper("or", (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  return hb;
}

/** Compiles a package file with strict mode (a misspelt field fails instead of printing nothing). */
export function compileFile(hb: HandlebarsEnv, pkg: TemplatePackage, file: string): Handlebars.TemplateDelegate {
  return hb.compile(pkg.files[file], { strict: true, noEscape: false });
}
