import { resolve } from "node:path";
import type { Command } from "commander";
import { archiveUrl, openArchive, redact } from "../archive/index.ts";
import { ProblemError } from "../core/index.ts";
import type { EngineOptions } from "../engine.ts";
import { nodeWorld } from "../node-world.ts";
import { reloadKeysOnChange } from "../server/keys-reload.ts";
import { KeyRing, SCOPES, type Scope, loadKeys, newKey } from "../server/keys.ts";
import type { CliContext, CliOutput } from "./context.ts";
import { CliError, EXIT } from "./errors.ts";
import { type ReactionFlags, reactionOptions, reactionsFrom } from "./serve-reactions.ts";
import {
  PACKAGE_ROOT,
  REQUIRE_RELEASED_HELP,
  TRUST_PROXY_HELP,
  requireReleased,
  requireSigningKeys,
  trustedProxies,
  wholeNumber,
  withEngineFlags,
} from "./shared.ts";

interface ServeFlags extends ReactionFlags {
  port: string;
  host: string;
  archive?: string;
  keys?: string;
  workers?: string;
  queue?: string;
  timeout: string;
  templates?: string;
  catalogue?: string;
  theme?: string;
  logLevel: string;
  newKey?: string;
  scopes: string;
  studio?: boolean;
  agent?: boolean;
  workerNice: string;
  trustProxy?: string;
  rateLimit: string;
  requireReleased?: boolean;
}

/** `omnidoc serve`: the HTTP API on one port, rendering in a worker pool, archiving what it renders. */
export function registerServe(program: Command, ctx: CliContext): void {
  const serve = program
    .command("serve")
    .description("serve the HTTP API: documents, decisions, templates and the single customer view")
    .option("-p, --port <n>", "port to listen on", "8080")
    .option("--host <address>", "address to listen on", "127.0.0.1")
    .option(
      "-a, --archive <url>",
      "archive: sqlite:PATH or postgres://… (default: $OMNIDOC_ARCHIVE or the embedded one)",
    )
    .option(
      "--keys <file>",
      "API keys file: a JSON array of {name, sha256, scopes}, reloaded when it changes and on SIGHUP; also read from $OMNIDOC_API_KEYS",
    )
    .option("--trust-proxy <addresses>", TRUST_PROXY_HELP)
    .option("--workers <n>", "render worker threads (default: one per core)")
    .option("--queue <n>", "renders allowed to wait for a worker before answering 503 (default: 8 per worker)")
    .option("--timeout <ms>", "longest a request may take", "10000")
    .option(
      "--rate-limit <n>",
      "requests each API key may make per minute; over it, 429 with Retry-After (0: none)",
      "3000",
    )
    .option(
      "--worker-nice <n>",
      "nice value of the render threads; 5-10 on a dedicated machine keeps /healthz quick",
      "0",
    )
    .option("--log-level <level>", "pino log level", "info")
    .option("--no-studio", "do not serve the template studio at /studio/ (keys with the preview scope sign in there)")
    .option(
      "--no-agent",
      "do not serve the call centre's customer view at /agent/ (keys with archive:read sign in there)",
    )
    .option("--new-key <name>", "print a new API key and its keys-file entry, then exit")
    .option("--scopes <list>", `scopes of the new key: ${SCOPES.join(", ")}`, "render");
  withEngineFlags(serve).option("--require-released", REQUIRE_RELEASED_HELP);
  reactionOptions(serve).action(async (flags: ServeFlags) => {
    if (flags.newKey !== undefined) return printNewKey(ctx.io.stdout, flags.newKey, flags.scopes);
    requireSigningKeys();
    const port = wholeNumber(flags.port, "--port", 0);
    const reactions = await reactionsFrom(flags, { host: flags.host, port });
    const keys = loadKeys(flags.keys);
    if (!keys.ok) throw new ProblemError(keys.problems);
    if (keys.value.length === 0)
      ctx.io.stderr.write("omnidoc: no API keys configured: every /v1 request will be refused (see --new-key)\n");
    const url = archiveUrl(flags.archive);
    const archive = await openArchive(url);
    if (!archive.ok) throw new ProblemError(archive.problems);

    const engine: EngineOptions = {};
    if (flags.templates) engine.templatesDir = resolve(flags.templates);
    if (flags.catalogue) engine.catalogue = resolve(flags.catalogue);
    if (flags.theme) engine.theme = resolve(flags.theme);
    const production = requireReleased(flags.requireReleased)
      ? await import("../releases/production.ts")
          // The released releases, written out beside the archive's blobs.
          .then((p) => p.servedReleases(archive.value, p.releasesCache(url)))
          .catch(async (e) => {
            await archive.value.close();
            throw e;
          })
      : undefined;
    const { buildServer } = await import("../server/index.ts");
    const { prepareStudio, studioPlugin } = await import("../studio/index.ts");
    const { agentPlugin } = await import("../agent/index.ts");
    const plugins = [
      ...(flags.studio
        ? [studioPlugin(await prepareStudio({ world: nodeWorld(PACKAGE_ROOT), engine, archive: archive.value }))]
        : []),
      ...(flags.agent ? [agentPlugin({ archive: archive.value, now: nodeWorld(PACKAGE_ROOT).now })] : []),
    ];
    const ring = new KeyRing(keys.value);
    const app = await buildServer({
      plugins,
      keys: ring,
      trustProxy: trustedProxies(flags.trustProxy),
      archive: archive.value,
      root: production?.root ?? PACKAGE_ROOT,
      engine: production?.engine ?? engine,
      ...(production && { released: production.released }),
      pool: {
        workers: flags.workers === undefined ? undefined : wholeNumber(flags.workers, "--workers", 1),
        queue: flags.queue === undefined ? undefined : wholeNumber(flags.queue, "--queue", 1),
        niceness: wholeNumber(flags.workerNice, "--worker-nice", 0),
      },
      timeoutMs: wholeNumber(flags.timeout, "--timeout", 1),
      rateLimit: { max: wholeNumber(flags.rateLimit, "--rate-limit", 0), windowMs: 60_000 },
      log: { level: flags.logLevel },
      now: nodeWorld(PACKAGE_ROOT).now,
      ...(reactions && { reactions }),
    }).catch(async (e) => {
      await archive.value.close();
      throw e;
    });
    const address = await app.listen({ port, host: flags.host });
    app.log.info(
      {
        archive: redact(url),
        keys: keys.value.length,
        ...(production && { releases: Object.fromEntries(production.released) }),
      },
      `omnidoc API at ${address} (docs at ${address}/docs)`,
    );

    const reload = flags.keys
      ? reloadKeysOnChange(ring, () => loadKeys(flags.keys), {
          watch: flags.keys,
          onReload: (r) =>
            r.ok
              ? app.log.info({ keys: r.value.length }, "API keys reloaded")
              : app.log.error({ problems: r.problems }, "API keys not reloaded: the previous keys stay in force"),
        })
      : undefined;

    await new Promise<void>((done) => {
      const stop = () => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        done();
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
    reload?.close();
    await app.close();
    await archive.value.close();
  });
}

function printNewKey(out: CliOutput, name: string, scopeList: string): void {
  const scopes = scopeList.split(",").map((s) => s.trim());
  for (const s of scopes)
    if (!SCOPES.includes(s as Scope)) throw new CliError(`unknown scope "${s}": use ${SCOPES.join(", ")}`, EXIT.usage);
  const { key, entry } = newKey(name, scopes as Scope[]);
  out.write(`key (give it to the client; it is not stored anywhere):\n  ${key}\n`);
  out.write(`entry for the keys file or OMNIDOC_API_KEYS:\n  ${JSON.stringify(entry)}\n`);
}
