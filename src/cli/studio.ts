import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve } from "node:path";
import type { Command } from "commander";
import { openArchive } from "../archive/index.ts";
import { ProblemError } from "../core/index.ts";
import type { EngineOptions } from "../engine.ts";
import { nodeWorld } from "../node-world.ts";
import { newKey } from "../server/keys.ts";
import type { CliContext } from "./context.ts";
import { CliError, EXIT } from "./errors.ts";
import { PACKAGE_ROOT, TRUST_PROXY_HELP, requireSigningKeys, trustedProxies, withEngineFlags } from "./shared.ts";

interface StudioFlags {
  port: string;
  host: string;
  catalogue?: string;
  theme?: string;
  samples?: string;
  trustProxy?: string;
  archive?: string;
}

/**
 * `omnidoc studio [TEMPLATE_DIR]`: the preview studio on this machine, rebuilding on every save. It makes a
 * one-off key with the `preview` and `templates:write` scopes (save offer edits as draft releases), kept in memory, and prints a URL that carries it in the fragment
 * (never sent to a server or written to a log); the page trades it for a session cookie and forgets it.
 */
export function registerStudio(program: Command, ctx: CliContext): void {
  const command = program
    .command("studio")
    .description("open the preview studio on a template folder; every save refreshes the page")
    .argument("[template-dir]", "a template package (folder with template.yaml) or a folder of packages", "templates")
    .option("-p, --port <n>", "port to listen on (0: any free port)", "4700")
    .option("--host <address>", "address to listen on", "127.0.0.1");
  withEngineFlags(command, ["catalogue", "theme"])
    .option("--samples <file>", "sample customers, NDJSON (default: the package's samples/customers-200.ndjson)")
    .option("--trust-proxy <addresses>", TRUST_PROXY_HELP)
    .option(
      "-a, --archive <url>",
      "archive that keeps the releases an offer edit saves: sqlite:PATH or postgres://… (default: one in memory, gone when the studio stops)",
    )
    .action(async (dir: string, flags: StudioFlags) => {
      requireSigningKeys();
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new CliError("--port must be a port number", EXIT.usage);
      const world = nodeWorld(PACKAGE_ROOT);
      const folder = resolve(dir);
      // Inside the project, paths stay relative, so problems read `templates/energy-bill/sms.hbs:3:7`.
      const shown = (path: string) =>
        relative(PACKAGE_ROOT, path).startsWith("..") ? path : relative(PACKAGE_ROOT, path);
      if (!world.exists(folder)) throw new CliError(`no folder ${dir}`, EXIT.usage);
      // One package: its parent is the templates folder, and the package is the one shown first.
      const isPackage = world.exists(join(folder, "template.yaml"));
      const engine: EngineOptions = { templatesDir: shown(isPackage ? dirname(folder) : folder) };
      if (flags.catalogue) engine.catalogue = shown(resolve(flags.catalogue));
      if (flags.theme) engine.theme = shown(resolve(flags.theme));

      const scratch = mkdtempSync(join(tmpdir(), "omnidoc-studio-"));
      const archive = await openArchive(flags.archive ?? `sqlite::memory:?blobs=${join(scratch, "blobs")}`);
      if (!archive.ok) throw new ProblemError(archive.problems);
      const { buildServer } = await import("../server/index.ts");
      const { prepareStudio, studioPlugin } = await import("../studio/index.ts");
      const studio = await prepareStudio({
        world,
        engine,
        samples: flags.samples && resolve(flags.samples),
        archive: archive.value,
      });
      const first = studio.live.current();
      if (!first.engine) throw new ProblemError(first.problems);
      if (isPackage)
        studio.template =
          [...first.engine.templates.values()].find((t) => resolve(PACKAGE_ROOT, t.pkg.dir) === folder)?.pkg.manifest
            .id ?? basename(folder);

      const { key, entry } = newKey("studio-local", ["preview", "templates:write"]);
      const app = await buildServer({
        keys: [entry],
        archive: archive.value,
        root: PACKAGE_ROOT,
        engine,
        pool: { workers: 1 },
        log: false,
        plugins: [studioPlugin(studio)],
        trustProxy: trustedProxies(flags.trustProxy),
      });
      const address = await app.listen({ port, host: flags.host });
      ctx.io.stdout.write(`omnidoc studio on ${folder}\n  ${address}/studio/#key=${key}\n(Ctrl+C to stop)\n`);
      await new Promise<void>((done) => {
        process.once("SIGINT", done);
        process.once("SIGTERM", done);
      });
      await app.close();
      await archive.value.close();
      rmSync(scratch, { recursive: true, force: true });
    });
}
