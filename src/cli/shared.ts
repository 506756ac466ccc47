import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { ProblemError, SECRET_VARIABLES, type SecretName, formatProblem, signingKeysOf } from "../core/index.ts";
import type { Engine, EngineOptions } from "../engine.ts";
import { nodeWorld } from "../node-world.ts";
import type { QueueAddress } from "../queue/index.ts";
import { type Profile, validateProfile } from "../profile/index.ts";
import type { ChannelName } from "../templates/index.ts";
import type { CliOutput } from "./context.ts";
import { CliError, EXIT } from "./errors.ts";
import { newSigningKey } from "./signing-key.ts";

/** The installed package's own folder: default templates, catalogue and theme live there. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export interface EngineFlags {
  templates?: string;
  catalogue?: string;
  theme?: string;
}

const SECRETS: readonly SecretName[] = ["linkKey", "trackingKey"];

/**
 * For a command whose documents reach customers (render, run, serve, studio): refuses to start (exit 2) unless
 * every signing key is set and well formed, naming each variable at fault and how to make a key.
 */
export function requireSigningKeys(env: NodeJS.ProcessEnv = process.env): void {
  const world = nodeWorld(PACKAGE_ROOT, env);
  const problems = SECRETS.flatMap((name) => {
    const r = signingKeysOf(world, name);
    return r.ok ? [] : r.problems;
  });
  if (problems.length > 0) throw new CliError(problems.map(formatProblem).join("\nomnidoc: "), EXIT.usage);
}

/**
 * For a command whose documents go to no one (demo, lint): the environment, with a one-off key made for this
 * invocation in place of each signing key that is not set, and a line on `say` that says so.
 */
export function withOneOffSigningKeys(say: CliOutput, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const filled = { ...env };
  for (const name of SECRETS) {
    const variable = SECRET_VARIABLES[name];
    if (env[variable]) continue;
    filled[variable] = newSigningKey("one-off");
    say.write(`omnidoc: ${variable} is not set: signing with a one-off key made now, which nothing else will verify\n`);
  }
  return filled;
}

/** The engine's settings: the package's defaults, or folders and files named on the command line. */
export function engineOptions(flags: EngineFlags): EngineOptions {
  const options: EngineOptions = {};
  if (flags.templates) options.templatesDir = resolve(flags.templates);
  if (flags.catalogue) options.catalogue = resolve(flags.catalogue);
  if (flags.theme) options.theme = resolve(flags.theme);
  return options;
}

/** A flag that counts something: a whole number of at least 1, or a usage error that names the flag. */
export function count(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new CliError(`${flag} must be a whole number of at least 1, not "${value}"`, EXIT.usage);
  return n;
}

/** A flag's whole number of at least `min`, or a usage error that names the flag. */
export function wholeNumber(value: string, flag: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new CliError(`${flag} must be a whole number of at least ${min}`, EXIT.usage);
  return n;
}

/** A `--queue` URL; a malformed one is a usage error (exit 2) that says what is wrong with it. */
export async function queueAddress(url: string): Promise<QueueAddress> {
  const { parseQueueUrl } = await import("../queue/index.ts");
  try {
    return parseQueueUrl(url);
  } catch (err) {
    throw err instanceof ProblemError ? new CliError(err.message, EXIT.usage) : err;
  }
}

/** Builds the engine from the package's defaults, or from folders and files named on the command line. */
export async function engineFromFlags(flags: EngineFlags, env: NodeJS.ProcessEnv = process.env): Promise<Engine> {
  const { buildEngine } = await import("../engine.ts");
  const engine = await buildEngine(nodeWorld(PACKAGE_ROOT, env), engineOptions(flags));
  if (!engine.ok) throw new ProblemError(engine.problems);
  return engine.value;
}

/** Reads one profile from a JSON file and validates it; a bad one ends the command with where and why. */
export function readProfileFile(path: string): Profile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new CliError(`cannot read ${path}: ${(e as Error).message}`);
  }
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch (e) {
    throw new CliError(`${path} is not valid JSON: ${(e as Error).message}`);
  }
  const profile = validateProfile(record, path);
  if (!profile.ok) throw new ProblemError(profile.problems);
  return profile.value;
}

export function parseDate(value: string | undefined, flag = "--date"): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))
    throw new CliError(`${flag} must be a date as YYYY-MM-DD, not "${value}"`, EXIT.usage);
  return value;
}

const ALL_CHANNELS: ChannelName[] = ["pdf", "email", "sms"];

/** `all`, or a comma-separated list of channel names. */
export function parseChannels(value: string): ChannelName[] {
  if (value === "all") return ALL_CHANNELS;
  const names = value.split(",").map((s) => s.trim());
  for (const n of names)
    if (!ALL_CHANNELS.includes(n as ChannelName))
      throw new CliError(`unknown channel "${n}": use pdf, email, sms or all`, EXIT.usage);
  return names as ChannelName[];
}

type EngineFlag = keyof EngineFlags;

const ENGINE_FLAGS: Record<EngineFlag, { argument: string; help: string }> = {
  templates: { argument: "<dir>", help: "folder of template packages (default: the bundled templates)" },
  catalogue: { argument: "<file>", help: "offer and message catalogue YAML (default: the bundled sample)" },
  theme: { argument: "<file>", help: "brand theme YAML (default: the bundled sample)" },
};

/**
 * Adds the engine flags every composing command takes (all three, or the ones named), worded alike everywhere;
 * `whose` begins their help where a command builds more than one engine (`the new version's`).
 */
export function withEngineFlags<C extends Command>(
  command: C,
  flags: readonly EngineFlag[] = ["templates", "catalogue", "theme"],
  whose = "",
): C {
  for (const flag of flags) {
    const { argument, help } = ENGINE_FLAGS[flag];
    command.option(`--${flag} ${argument}`, whose ? `${whose} ${help}` : help);
  }
  return command;
}

export const REQUIRE_RELEASED_HELP =
  "production mode: compose only with the template's released version from the archive, never the files on disk (default: $OMNIDOC_REQUIRE_RELEASED)";

/** Production mode: the flag, else OMNIDOC_REQUIRE_RELEASED set to `1`, `true` or `yes`. */
export function requireReleased(flag: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  return flag ?? /^(1|true|yes)$/i.test(env.OMNIDOC_REQUIRE_RELEASED ?? "");
}

export const TRUST_PROXY_HELP =
  "addresses or CIDRs of the TLS proxies in front, comma-separated; their X-Forwarded-Proto/-For/-Host are believed (default: $OMNIDOC_TRUST_PROXY, else none)";

/** The proxies whose forwarded headers are believed: the flag, else OMNIDOC_TRUST_PROXY, else none. */
export function trustedProxies(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string[] | false {
  const list = (flag ?? env.OMNIDOC_TRUST_PROXY ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return list.length > 0 ? list : false;
}
