import { createReadStream, createWriteStream } from "node:fs";
import { createInterface } from "node:readline";
import type { Command } from "commander";
import { parseProfileLine, recordId } from "../profile/index.ts";
import type { CliContext } from "./context.ts";
import { CliError, EXIT } from "./errors.ts";

/** `omnidoc validate --input FILE.ndjson [--rejects FILE]`: checks an extract without composing anything. */
export function registerValidate(program: Command, ctx: CliContext): void {
  program
    .command("validate")
    .description("check a customer extract (NDJSON) against the profile schema")
    .requiredOption("-i, --input <file>", "NDJSON extract, one customer a line ('-' for standard input)")
    .option("-r, --rejects <file>", "write every rejected line as NDJSON {line, id, field, reason}")
    .action(async (opts: { input: string; rejects?: string }) => {
      const input = opts.input === "-" ? ctx.io.stdin : createReadStream(opts.input);
      const opened = new Promise<void>((resolve, reject) => {
        input.once("error", (e: Error) =>
          reject(new CliError(`cannot read ${opts.input}: ${e.message}`, EXIT.failure)),
        );
        input.once("readable", resolve);
        input.once("end", resolve);
      });
      await opened;
      const rejects = opts.rejects ? createWriteStream(opts.rejects) : undefined;
      const byReason = new Map<string, number>();
      let records = 0;
      let valid = 0;
      for await (const text of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
        records++;
        const r = parseProfileLine(text, records);
        if (r.ok) {
          valid++;
          continue;
        }
        const p = r.problems[0];
        const field = p.at?.split(" ")[2];
        byReason.set(p.code, (byReason.get(p.code) ?? 0) + 1);
        rejects?.write(
          `${JSON.stringify({ line: records, id: recordId(text), field, code: p.code, reason: p.message })}\n`,
        );
      }
      if (rejects) await new Promise((resolve) => rejects.end(resolve));
      const out = ctx.io.stdout;
      out.write(`records   ${records}\nvalid     ${valid}\nrejected  ${records - valid}\n`);
      for (const [code, n] of [...byReason].sort((a, b) => b[1] - a[1]))
        out.write(`  ${String(n).padStart(6)}  ${code}\n`);
      if (records > valid) ctx.exitCode = EXIT.failure;
    });
}
