import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ProblemError } from "../core/index.ts";
import type { Engine, EngineOptions } from "../engine.ts";
import { nodeWorld } from "../node-world.ts";
import { type Profile, validateProfile } from "../profile/index.ts";
import type { ChannelName } from "../templates/index.ts";
import { CliError, EXIT } from "./errors.ts";

/** The installed package's own folder: default templates, catalogue and theme live there. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export interface EngineFlags {
  templates?: string;
  catalogue?: string;
  theme?: string;
}

/** Builds the engine from the package's defaults, or from folders and files named on the command line. */
export async function engineFromFlags(flags: EngineFlags): Promise<Engine> {
  const options: EngineOptions = {};
  if (flags.templates) options.templatesDir = resolve(flags.templates);
  if (flags.catalogue) options.catalogue = resolve(flags.catalogue);
  if (flags.theme) options.theme = resolve(flags.theme);
  const { buildEngine } = await import("../engine.ts");
  const engine = await buildEngine(nodeWorld(PACKAGE_ROOT), options);
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

export function parseDate(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))
    throw new CliError(`--date must be a date as YYYY-MM-DD, not "${value}"`, EXIT.usage);
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

/** Engine flags every composing command takes. */
export const ENGINE_FLAG_HELP = {
  templates: "folder of template packages (default: the bundled templates)",
  catalogue: "offer and message catalogue YAML (default: the bundled sample)",
  theme: "brand theme YAML (default: the bundled sample)",
};
