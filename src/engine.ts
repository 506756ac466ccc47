import { type Problem, type Result, type World, fail, ok, problem } from "./core/index.ts";
import type { ChannelRenderer } from "./channels/channel.ts";
import { emailChannel } from "./channels/email/index.ts";
import { pdfChannel } from "./channels/pdf/index.ts";
import { smsChannel } from "./channels/sms/index.ts";
import { type Catalogue, loadCatalogue } from "./decide/index.ts";
import {
  type ChannelName,
  type TemplatePackage,
  type Theme,
  loadTemplatePackage,
  readYaml,
} from "./templates/index.ts";

/** Every channel omnidoc renders, by name. Channels never import each other; only the engine knows them all. */
export const CHANNELS: Record<ChannelName, ChannelRenderer<unknown, unknown>> = {
  pdf: pdfChannel as ChannelRenderer<unknown, unknown>,
  email: emailChannel as ChannelRenderer<unknown, unknown>,
  sms: smsChannel as ChannelRenderer<unknown, unknown>,
};

export interface EngineOptions {
  /** Folder holding one folder per template package. */
  templatesDir?: string;
  catalogue?: string;
  theme?: string;
  /** Bases of the links every channel shares. */
  links?: { payBase: string; unsubscribeBase: string };
}

export const ENGINE_DEFAULTS: Required<EngineOptions> = {
  templatesDir: "templates",
  catalogue: "samples/catalogue.yaml",
  theme: "samples/theme.yaml",
  links: {
    payBase: "https://pay.northwind-energy.example/p",
    unsubscribeBase: "https://www.northwind-energy.example/unsubscribe",
  },
};

export interface CompiledTemplate {
  readonly pkg: TemplatePackage;
  /** Each channel's compiled form of this package, made once. */
  readonly channels: Readonly<Partial<Record<ChannelName, unknown>>>;
}

/** Everything compiled once: immutable, shared by every composition of a process or worker. */
export interface Engine {
  readonly theme: Theme;
  readonly catalogue: Catalogue;
  readonly templates: ReadonlyMap<string, CompiledTemplate>;
  readonly keys: Readonly<{ linkKey: string; trackingKey: string }>;
  readonly links: Readonly<{ payBase: string; unsubscribeBase: string }>;
}

/** Loads and compiles the theme, the catalogue and every template package. Problems name file and line. */
export async function buildEngine(world: World, options: EngineOptions = {}): Promise<Result<Engine>> {
  const o = { ...ENGINE_DEFAULTS, ...options };
  const theme = readYaml<Theme>(world, o.theme);
  if (!theme.ok) return theme;
  const catalogue = loadCatalogue(world, o.catalogue);
  if (!catalogue.ok) return catalogue;

  const problems: Problem[] = [];
  const templates = new Map<string, CompiledTemplate>();
  for (const name of world.list(o.templatesDir)) {
    const dir = `${o.templatesDir}/${name}`;
    if (!world.exists(`${dir}/template.yaml`)) continue;
    const pkg = loadTemplatePackage(world, dir, theme.value);
    if (!pkg.ok) {
      problems.push(...pkg.problems);
      continue;
    }
    const compiled = await compileTemplate(pkg.value, world);
    if (compiled.ok) templates.set(pkg.value.manifest.id, compiled.value);
    else problems.push(...compiled.problems);
  }
  if (problems.length > 0) return fail(...problems);
  if (templates.size === 0)
    return fail(problem("OMD_TEMPLATE_NOT_FOUND", `no template package under ${o.templatesDir}`, o.templatesDir));
  return ok(
    Object.freeze({
      theme: theme.value,
      catalogue: catalogue.value,
      templates,
      keys: Object.freeze({ linkKey: world.secret("linkKey"), trackingKey: world.secret("trackingKey") }),
      links: Object.freeze({ ...o.links }),
    }),
  );
}

async function compileTemplate(pkg: TemplatePackage, world: World): Promise<Result<CompiledTemplate>> {
  const channels: Partial<Record<ChannelName, unknown>> = {};
  const problems: Problem[] = [];
  for (const name of Object.keys(pkg.manifest.channels) as ChannelName[]) {
    const renderer = CHANNELS[name];
    if (!renderer) {
      problems.push(
        problem(
          "OMD_CHANNEL_UNKNOWN",
          `template ${pkg.manifest.id} declares channel ${name}`,
          `${pkg.dir}/template.yaml`,
        ),
      );
      continue;
    }
    const r = await renderer.compile(pkg, world);
    if (r.ok) channels[name] = r.value;
    else problems.push(...r.problems);
  }
  if (problems.length > 0) return fail(...problems);
  return ok(Object.freeze({ pkg, channels: Object.freeze(channels) }));
}
