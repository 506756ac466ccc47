import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Command } from "commander";
import { DEFAULT_SEED, SAMPLE_LOCALES, type SampleLocale, type SampleOptions, sampleLines } from "../sample/index.ts";
import type { CliContext } from "./context.ts";
import { CliError, EXIT } from "./errors.ts";

interface SampleFlags {
  seed?: string;
  badEvery?: string;
  locale?: string;
  out?: string;
}

/** Lines are written in chunks of about this many characters: one write per line would cost a call each. */
const CHUNK_CHARS = 64 * 1024;

function whole(value: string, what: string, max?: number): number {
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(n <= (max ?? Number.MAX_SAFE_INTEGER)))
    throw new CliError(`${what} must be a whole number${max ? ` from 0 to ${max}` : ""}, not "${value}"`, EXIT.usage);
  return n;
}

function locales(value: string): SampleLocale[] {
  const names = value.split(",").map((s) => s.trim());
  for (const n of names)
    if (!SAMPLE_LOCALES.includes(n as SampleLocale))
      throw new CliError(`--locale "${n}" is not one of ${SAMPLE_LOCALES.join(", ")}`, EXIT.usage);
  return [...new Set(names as SampleLocale[])];
}

export function sampleOptions(count: string, flags: SampleFlags): SampleOptions {
  const options: SampleOptions = { count: whole(count, "the number of customers") };
  if (flags.seed !== undefined) options.seed = whole(flags.seed, "--seed", 2 ** 32 - 1);
  if (flags.badEvery !== undefined) options.badEvery = whole(flags.badEvery, "--bad-every");
  if (flags.locale !== undefined) options.locales = locales(flags.locale);
  return options;
}

function* chunks(lines: Iterable<string>): Generator<string> {
  let chunk = "";
  for (const line of lines) {
    chunk += `${line}\n`;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}

/** `omnidoc sample N`: the reference extract, streamed: a slow reader slows the generator, nothing piles up. */
export function registerSample(program: Command, ctx: CliContext): void {
  program
    .command("sample")
    .description("write N generated customers as NDJSON: deterministic, with bad records on request")
    .argument("<count>", "how many lines (bad ones included)")
    .option("-s, --seed <n>", `another extract of the same shape (default ${DEFAULT_SEED}); same arguments, same bytes`)
    .option("-b, --bad-every <k>", "every K-th line a bad record, each kind in turn (default 0: none)")
    .option("-l, --locale <list>", `only these locales, comma-separated: ${SAMPLE_LOCALES.join(",")}`)
    .option("-o, --out <file>", "write to this file instead of standard output")
    .action(async (count: string, flags: SampleFlags) => {
      const source = Readable.from(chunks(sampleLines(sampleOptions(count, flags))));
      const out = flags.out ?? "standard output";
      try {
        if (flags.out) await pipeline(source, createWriteStream(flags.out));
        else await pipeline(source, ctx.io.stdout, { end: false });
      } catch (e) {
        // A reader that stops early (`| head`) has all it wanted.
        if ((e as NodeJS.ErrnoException).code === "EPIPE") return;
        throw new CliError(`cannot write ${out}: ${(e as Error).message}`);
      }
    });
}
