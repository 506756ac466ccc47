import { loadTheme, type TemplatePackage, type Theme } from "../../src/templates/index.ts";
import { nodeWorld } from "../../src/node-world.ts";
import { loadTemplatePackage } from "../../src/templates/index.ts";

/** The real energy-bill package with the sample theme, for email channel tests. */
export function energyBillPackage(): TemplatePackage {
  const world = nodeWorld();
  const theme = loadTheme(world, "samples/theme.yaml");
  if (!theme.ok) throw new Error("samples/theme.yaml does not load");
  const pkg = loadTemplatePackage(world, "templates/energy-bill", theme.value);
  if (!pkg.ok) throw new Error(pkg.problems.map((p) => p.message).join("\n"));
  return pkg.value;
}

/** The energy-bill package with its email template replaced (and, optionally, its theme colours changed). */
export function withEmailTemplate(mjml: string, colours: Partial<Theme["colours"]> = {}): TemplatePackage {
  const pkg = energyBillPackage();
  return {
    ...pkg,
    files: { ...pkg.files, "email.mjml": mjml },
    theme: { ...pkg.theme, colours: { ...pkg.theme.colours, ...colours } as Theme["colours"] },
  };
}

/** A minimal valid email template around `body` (placed inside one column). */
export const mjmlWith = (body: string, sections = "") => `<mjml lang="{{lang}}">
  <mj-head><mj-title>{{> email-subject}}</mj-title></mj-head>
  <mj-body>
    <mj-section>
      <mj-column>
${body}
      </mj-column>
    </mj-section>
${sections}
  </mj-body>
</mjml>`;
