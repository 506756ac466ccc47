import { registerChartGlobals } from "../../assets/chart/index.ts";
import {
  type Problem,
  type RenderCaches,
  type Result,
  type World,
  createRenderCaches,
  fail,
  ok,
  problem,
} from "../../core/index.ts";
import { createHandlebars, type TemplatePackage, type Theme } from "../../templates/index.ts";
import { registerEmailHelpers } from "./helpers.ts";
import type { EmailChartMode } from "./chart.ts";
import type { Mailbox } from "./mime.ts";
import { checkPalette, emailPalette } from "./palette.ts";
import { compileSkeleton } from "./skeleton.ts";

/** Partials every email template defines: one text each, used for the header and inside the HTML. */
export const SUBJECT_PARTIAL = "email-subject";
export const PREHEADER_PARTIAL = "email-preheader";

export interface CompiledEmail {
  /** The merged HTML per language the template supports. */
  html: ReadonlyMap<string, Handlebars.TemplateDelegate>;
  /** Plain-text merges (no HTML escaping) for the Subject header and the preheader. */
  subject: Handlebars.TemplateDelegate;
  preheader: Handlebars.TemplateDelegate;
  theme: Theme;
  from: Mailbox;
  /** Right-hand side of Message-IDs. */
  domain: string;
  templateId: string;
  /** Where the chart comes from: the template's `chart`, embedded when it names none. */
  chart: EmailChartMode;
  at: string;
  /** The thread's render caches: the chart's canvases are kept there. */
  caches: RenderCaches;
}

/** `https://www.northwind-energy.example` → `northwind-energy.example` */
function mailDomain(website: string): string {
  try {
    return new URL(website).hostname.replace(/^www\./, "");
  } catch {
    return "localhost";
  }
}

/**
 * Compiles the package's email once: the theme's contrast is checked, each language's MJML is compiled to a
 * Handlebars skeleton, and the chart libraries are set up. The sender is the manifest's `email.from`
 * (`Name <address>` parts `fromName`/`fromAddress`) or the brand name at `statements@` the website's domain.
 */
export async function compileEmail(
  pkg: TemplatePackage,
  world: World,
  caches: RenderCaches = createRenderCaches(),
): Promise<Result<CompiledEmail>> {
  const spec = pkg.manifest.channels.email;
  if (!spec)
    return fail(
      problem("OMD_CHANNEL_UNKNOWN", `template ${pkg.manifest.id} has no email channel`, `${pkg.dir}/template.yaml`),
    );
  const file = `${pkg.dir}/${spec.file}`;
  const problems: Problem[] = checkPalette(pkg.theme, file);
  for (const name of [SUBJECT_PARTIAL, PREHEADER_PARTIAL]) {
    if (!(`partials/${name}.hbs` in pkg.files))
      problems.push(
        problem("OMD_TEMPLATE_FILE_MISSING", `the email needs partials/${name}.hbs`, `${pkg.dir}/partials`),
      );
  }
  if (problems.length > 0) return fail(...problems);
  if (!registerChartGlobals(world, pkg.theme.fonts.body))
    return fail(
      problem(
        "OMD_THEME_FONT_UNUSABLE",
        `the body font ${pkg.theme.fonts.body} is not a font the chart can draw with`,
        file,
      ),
    );

  const hb = createHandlebars(pkg);
  registerEmailHelpers(hb);
  const palette = emailPalette(pkg.theme);
  const html = new Map<string, Handlebars.TemplateDelegate>();
  for (const lang of pkg.manifest.languages) {
    const skeleton = await compileSkeleton(
      world,
      hb,
      pkg.files[spec.file],
      { theme: pkg.theme, palette, labels: pkg.locales[lang] ?? {}, lang },
      file,
    );
    if (!skeleton.ok) {
      // One mistake fails every language alike: report it once.
      for (const p of skeleton.problems)
        if (!problems.some((q) => q.message === p.message && q.at === p.at)) problems.push(p);
      continue;
    }
    html.set(lang, skeleton.value);
  }
  if (problems.length > 0) return fail(...problems);
  const text = (name: string) => hb.compile(pkg.files[`partials/${name}.hbs`], { strict: true, noEscape: true });
  const domain = mailDomain(pkg.theme.brand.website);
  const from: Mailbox = {
    name: spec.fromName ?? pkg.theme.brand.name,
    address: spec.fromAddress ?? `statements@${domain}`,
  };
  return ok({
    html,
    subject: text(SUBJECT_PARTIAL),
    preheader: text(PREHEADER_PARTIAL),
    theme: pkg.theme,
    from,
    domain,
    templateId: pkg.manifest.id,
    chart: spec.chart ?? "embedded",
    at: file,
    caches,
  });
}
