import { readFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import type { Command } from "commander";
import { compose } from "../compose.ts";
import { type Problem, formatProblem } from "../core/index.ts";
import { parseProfileLine } from "../profile/index.ts";
import { lintLabels } from "../templates/index.ts";
import type { CliContext } from "./context.ts";
import { CliError, EXIT } from "./errors.ts";
import { PACKAGE_ROOT, engineFromFlags } from "./shared.ts";

interface LintFlags {
  profiles: string;
  catalogue?: string;
  theme?: string;
  date?: string;
}

/** One finding and the customers it showed up for. */
interface Finding {
  problem: Problem;
  customers: string[];
}

/**
 * `omnidoc lint TEMPLATE_DIR`: renders the template's PDF for every sample profile and reports what a
 * proof-reader would miss: content overflowing a fixed frame, characters no font covers, fields the view
 * does not have, markup errors and labels missing in a language.
 */
export function registerLint(program: Command, ctx: CliContext): void {
  program
    .command("lint")
    .description(
      "render a template for every sample profile and report overflow, missing glyphs, unknown fields, missing translations",
    )
    .argument("<template-dir>", "template package folder, e.g. templates/energy-bill")
    .option("-p, --profiles <file>", "NDJSON sample profiles", resolve(PACKAGE_ROOT, "samples/customers-200.ndjson"))
    .option("-d, --date <YYYY-MM-DD>", "run date (default: each profile's statement date)")
    .option("--catalogue <file>", "offer and message catalogue YAML (default: the bundled sample)")
    .option("--theme <file>", "brand theme YAML (default: the bundled sample)")
    .action(async (dir: string, flags: LintFlags) => {
      const abs = resolve(dir);
      const engine = await engineFromFlags({ templates: dirname(abs), catalogue: flags.catalogue, theme: flags.theme });
      const template = [...engine.templates.values()].find((t) => resolve(PACKAGE_ROOT, t.pkg.dir) === abs);
      if (!template) throw new CliError(`no template package in ${dir} (it needs a template.yaml)`, EXIT.usage);
      const id = template.pkg.manifest.id;
      const findings = new Map<string, Finding>();
      const note = (p: Problem, customer: string) => {
        // The same finding for many customers is one line: locations name the merged markup per customer.
        const at = p.at?.replace(/ \(merged for \w+\)/, " (merged)");
        const key = `${p.code}|${at ?? ""}|${p.code === "OMD_PDF_FRAME_OVERFLOW" ? p.message.replace(/needs [\d.]+ pt/, "") : p.message}`;
        const f = findings.get(key) ?? { problem: { ...p, ...(at ? { at } : {}) }, customers: [] };
        if (customer && !f.customers.includes(customer)) f.customers.push(customer);
        findings.set(key, f);
      };
      for (const p of lintLabels(template.pkg)) note(p, "");

      let lines: string[];
      try {
        lines = readFileSync(flags.profiles, "utf8")
          .split("\n")
          .filter((l) => l.trim() !== "");
      } catch (e) {
        throw new CliError(`cannot read ${flags.profiles}: ${(e as Error).message}`);
      }
      const channels = Object.keys(template.channels).includes("pdf") ? (["pdf"] as const) : [];
      let rendered = 0;
      for (const [i, line] of lines.entries()) {
        const profile = parseProfileLine(line, i + 1);
        if (!profile.ok) continue;
        const runDate = flags.date ?? profile.value.account.statementDate;
        const c = await compose(engine, profile.value, { template: id, channels, runDate });
        if (!c.ok) {
          for (const p of c.problems) note(p, profile.value.id);
          continue;
        }
        rendered++;
        for (const p of [...c.value.problems, ...c.value.warnings]) note(p, profile.value.id);
      }

      const out = ctx.io.stdout;
      out.write(`${id}: ${rendered} of ${lines.length} sample profiles rendered (${basename(flags.profiles)})\n`);
      for (const { problem: p, customers } of findings.values()) {
        const who =
          customers.length === 0
            ? ""
            : ` [${customers.length} customer${customers.length > 1 ? "s" : ""}: ${customers.slice(0, 5).join(", ")}${customers.length > 5 ? ", …" : ""}]`;
        out.write(`${formatProblem(p)}${who}\n`);
      }
      out.write(findings.size === 0 ? "no problems\n" : `${findings.size} problem${findings.size > 1 ? "s" : ""}\n`);
      if (findings.size > 0) ctx.exitCode = EXIT.failure;
    });
}
