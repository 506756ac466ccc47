import {
  type Problem,
  type RenderCaches,
  type Result,
  type World,
  createRenderCaches,
  fail,
  ok,
  parseYaml,
  problem,
  signingKeysOf,
} from "./core/index.ts";
import type { ChannelRenderer } from "./channels/channel.ts";
import { type Audience, type Catalogue, compileAudience, loadCatalogue } from "./decide/index.ts";
import {
  type ChannelName,
  type TemplatePackage,
  type Theme,
  loadTemplatePackage,
  loadTheme,
} from "./templates/index.ts";
import type { LinkKeys } from "./view/index.ts";

type AnyChannel = ChannelRenderer<unknown, unknown>;

/**
 * Every channel omnidoc renders, by name, each loaded when an engine that renders it is built: a thread whose
 * engine renders statements only never loads MJML (the email channel's code is ~45 MB of a thread's memory).
 * Channels never import each other; only the engine knows them all.
 */
const CHANNELS: Record<ChannelName, () => Promise<AnyChannel>> = {
  pdf: async () => (await import("./channels/pdf/index.ts")).pdfChannel as AnyChannel,
  email: async () => (await import("./channels/email/index.ts")).emailChannel as AnyChannel,
  sms: async () => (await import("./channels/sms/index.ts")).smsChannel as AnyChannel,
};
const EVERY_CHANNEL = Object.keys(CHANNELS) as ChannelName[];

export interface EngineLinks {
  payBase: string;
  unsubscribeBase: string;
  trackBase: string;
  /** The public address of omnidoc's own `GET /c/{token}.png`, which draws an email's hosted chart. */
  chartBase: string;
}

export interface EngineOptions {
  /** Folder holding one folder per template package. */
  templatesDir?: string;
  catalogue?: string;
  theme?: string;
  /**
   * Bases of the links every channel shares. `trackBase` is the public address of omnidoc's own `GET /r/{token}`
   * route: every call to action in a document goes `${trackBase}/${token}` and is redirected from there.
   */
  links?: EngineLinks;
}

export const ENGINE_DEFAULTS: Required<EngineOptions> = {
  templatesDir: "templates",
  catalogue: "samples/catalogue.yaml",
  theme: "samples/theme.yaml",
  links: {
    payBase: "https://pay.northwind-energy.example/p",
    unsubscribeBase: "https://www.northwind-energy.example/unsubscribe",
    trackBase: "https://go.northwind-energy.example/r",
    chartBase: "https://go.northwind-energy.example/c",
  },
};

/** What `buildEngine` takes: the engine's settings and the caches of the thread that builds it. */
export interface BuildOptions extends EngineOptions {
  /**
   * The thread's render caches (fonts, shaped words, font subsets, chart canvases); a fresh one when not
   * given. Engines share them only when handed the same object. Not a setting: settings cross to worker
   * threads, caches stay in the thread that made them.
   */
  caches?: RenderCaches;
  /**
   * The channels the engine renders; every channel when not given. A template's other channels are neither
   * compiled nor checked, and their code is not loaded.
   */
  channels?: readonly ChannelName[];
}

export interface CompiledTemplate {
  readonly pkg: TemplatePackage;
  /** Each channel's compiled form of this package, made once. */
  readonly channels: Readonly<Partial<Record<ChannelName, unknown>>>;
  /** Who the document is for; undefined when template.yaml names no audience (every customer). */
  readonly audience?: Audience;
}

/** Everything compiled once: immutable, shared by every composition of a process or worker. */
export interface Engine {
  readonly theme: Theme;
  readonly catalogue: Catalogue;
  readonly templates: ReadonlyMap<string, CompiledTemplate>;
  /** The signing keys of pay links and customer tokens, read through the World; an engine never lacks them. */
  readonly keys: Readonly<LinkKeys>;
  readonly links: Readonly<EngineLinks>;
  /** The caches it was built with, which its compiled templates keep using (the one mutable part). */
  readonly caches: RenderCaches;
  /** The channels it renders (those it was built for), loaded. */
  readonly channels: Readonly<Partial<Record<ChannelName, AnyChannel>>>;
}

/** Loads and compiles the theme, the catalogue and every template package. Problems name file and line. */
export async function buildEngine(world: World, options: BuildOptions = {}): Promise<Result<Engine>> {
  const o = { ...ENGINE_DEFAULTS, ...options };
  const caches = options.caches ?? createRenderCaches();
  const link = signingKeysOf(world, "linkKey");
  const tracking = signingKeysOf(world, "trackingKey");
  if (!link.ok || !tracking.ok)
    return fail(...(link.ok ? [] : link.problems), ...(tracking.ok ? [] : tracking.problems));
  const theme = loadTheme(world, o.theme);
  if (!theme.ok) return theme;
  const catalogue = loadCatalogue(world, o.catalogue);
  if (!catalogue.ok) return catalogue;

  const channels: Partial<Record<ChannelName, AnyChannel>> = {};
  for (const name of options.channels ?? EVERY_CHANNEL) channels[name] = await CHANNELS[name]();
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
    const compiled = await compileTemplate(pkg.value, world, caches, channels);
    if (compiled.ok) templates.set(pkg.value.manifest.id, compiled.value);
    else problems.push(...compiled.problems);
  }
  if (problems.length > 0) return fail(...problems);
  if (templates.size === 0)
    return fail(problem("OMD_TEMPLATES_EMPTY", `no template package under ${o.templatesDir}`, o.templatesDir));
  return ok(
    Object.freeze({
      theme: theme.value,
      catalogue: catalogue.value,
      templates,
      keys: Object.freeze({ link: link.value, tracking: tracking.value }),
      links: Object.freeze({ ...ENGINE_DEFAULTS.links, ...o.links }),
      caches,
      channels: Object.freeze(channels),
    }),
  );
}

async function compileTemplate(
  pkg: TemplatePackage,
  world: World,
  caches: RenderCaches,
  renderers: Engine["channels"],
): Promise<Result<CompiledTemplate>> {
  const channels: Partial<Record<ChannelName, unknown>> = {};
  const audience = audienceOf(pkg);
  const problems: Problem[] = audience.ok ? [] : [...audience.problems];
  // The manifest's schema admits only channels CHANNELS has.
  for (const name of Object.keys(pkg.manifest.channels) as ChannelName[]) {
    const renderer = renderers[name];
    if (!renderer) continue;
    const r = await renderer.compile(pkg, world, caches);
    if (r.ok) channels[name] = r.value;
    else problems.push(...r.problems);
  }
  if (problems.length > 0) return fail(...problems);
  const compiled = { pkg, channels: Object.freeze(channels) };
  if (audience.ok && audience.value) Object.assign(compiled, { audience: audience.value });
  return ok(Object.freeze(compiled));
}

/** The package's audience compiled once; each problem at the file:line:column of the rule at fault. */
function audienceOf(pkg: TemplatePackage): Result<Audience | undefined> {
  const written = pkg.manifest.audience;
  if (written === undefined) return ok(undefined);
  // The manifest was checked when the package loaded; parsed again only to place the rules in its text.
  const file = `${pkg.dir}/template.yaml`;
  const parsed = parseYaml(file, pkg.files["template.yaml"] ?? "", "OMD_TEMPLATE_MANIFEST_INVALID");
  if (!parsed.ok) return parsed;
  const { locate } = parsed.value;
  const path = (c: number) => (typeof written === "string" ? ["audience"] : ["audience", c, "rule"]);
  const conditions = (typeof written === "string" ? [{ rule: written }] : written).map((c, i) => ({
    ...c,
    at: locate.node(path(i)),
  }));
  const r = compileAudience(conditions);
  if (r.ok) return ok(r.audience);
  return fail(
    ...r.errors.map((e) =>
      problem(e.code, `${pkg.manifest.id}: ${e.message}`, locate.inScalar(path(e.condition), e.offset), e.hint),
    ),
  );
}
