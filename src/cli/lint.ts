import { readFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import type { Command } from "commander";
import { type Problem, type ProblemCode, formatProblem, problem } from "../core/index.ts";
import { parseProfileLine } from "../profile/index.ts";
import { type ChannelName, lintLabels } from "../templates/index.ts";
import type { CliContext } from "./context.ts";
import { catalogueLocator, copyProblems } from "./lint-copy.ts";
import { CliError, EXIT } from "./errors.ts";
import { PACKAGE_ROOT, engineFromFlags, withOneOffSigningKeys, withEngineFlags } from "./shared.ts";

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
 * What a channel says of the sample customer rather than of the template: no mobile number, no email
 * address, an optional SMS part left out as its template allows.
 */
const ABOUT_THE_CUSTOMER: ReadonlySet<ProblemCode> = new Set([
  "OMD_SMS_NO_MOBILE",
  "OMD_EMAIL_NO_ADDRESS",
  "OMD_SMS_PART_DROPPED",
]);

/**
 * Findings keyed by code and location, so one mistake met by many customers is one line. A PDF location
 * inside the merged markup names the customer it was merged for; that part is left out of the key.
 */
class Findings {
  private readonly byKey = new Map<string, Finding>();

  /** A problem of the package itself: each is its own finding. */
  ofPackage(p: Problem): void {
    this.byKey.set(`package ${this.byKey.size}`, { problem: p, customers: [] });
  }

  ofCustomer(p: Problem, customer: string): void {
    if (ABOUT_THE_CUSTOMER.has(p.code)) return;
    const at = p.at?.replace(` (merged for ${customer})`, " (merged)");
    const key = `${p.code} ${at ?? ""}`;
    const f = this.byKey.get(key) ?? { problem: at === undefined ? p : { ...p, at }, customers: [] };
    if (!f.customers.includes(customer)) f.customers.push(customer);
    this.byKey.set(key, f);
  }

  get all(): Finding[] {
    return [...this.byKey.values()];
  }
}

/**
 * `omnidoc lint TEMPLATE_DIR`: renders every channel the template declares (pdf, email, sms) for every
 * sample profile and reports what a proof-reader would miss: content overflowing a fixed frame, characters
 * no font covers, fields the view does not have, markup errors, an SMS over its segment budget, labels
 * missing in a language, copy asking to scan a code the channel lacks, usage compared for an unread month.
 */
export function registerLint(program: Command, ctx: CliContext): void {
  const command = program
    .command("lint")
    .description(
      "render every channel of a template for every sample profile and report overflow, missing glyphs, unknown fields, SMS over budget, missing translations, copy that does not fit the channel or the usage data",
    )
    .argument("<template-dir>", "template package folder, e.g. templates/energy-bill")
    .option("-p, --profiles <file>", "NDJSON sample profiles", resolve(PACKAGE_ROOT, "samples/customers-200.ndjson"))
    .option("-d, --date <YYYY-MM-DD>", "run date (default: each profile's statement date)");
  withEngineFlags(command, ["catalogue", "theme"]).action(async (dir: string, flags: LintFlags) => {
    const abs = resolve(dir);
    // Lint sends and writes no document: without configured keys it signs with one made for this check.
    const engine = await engineFromFlags(
      { templates: dirname(abs), catalogue: flags.catalogue, theme: flags.theme },
      withOneOffSigningKeys(ctx.io.stderr),
    );
    const { compose } = await import("../compose.ts");
    const template = [...engine.templates.values()].find((t) => resolve(PACKAGE_ROOT, t.pkg.dir) === abs);
    if (!template) throw new CliError(`no template package in ${dir} (it needs a template.yaml)`, EXIT.usage);
    const id = template.pkg.manifest.id;
    const findings = new Findings();
    for (const p of lintLabels(template.pkg)) findings.ofPackage(p);

    let lines: string[];
    try {
      lines = readFileSync(flags.profiles, "utf8")
        .split("\n")
        .filter((l) => l.trim() !== "");
    } catch (e) {
      throw new CliError(`cannot read ${flags.profiles}: ${(e as Error).message}`);
    }
    const channels = Object.keys(template.channels) as ChannelName[];
    const copyLint = {
      pkg: template.pkg,
      catalogue: engine.catalogue,
      locateItem: catalogueLocator(engine.catalogue.file),
    };
    let rendered = 0;
    // Sample customers the template is not for: nothing to check, and nothing wrong with the template.
    let outside = 0;
    for (const [i, line] of lines.entries()) {
      const profile = parseProfileLine(line, i + 1);
      if (!profile.ok) continue;
      const runDate = flags.date ?? profile.value.account.statementDate;
      const c = await compose(engine, profile.value, { template: id, channels, runDate });
      if (!c.ok && c.problems.every((p) => p.code === "OMD_AUDIENCE_OUTSIDE")) {
        outside++;
        continue;
      }
      if (!c.ok) {
        for (const p of c.problems) findings.ofCustomer(p, profile.value.id);
        continue;
      }
      rendered++;
      for (const p of [...c.value.problems, ...c.value.warnings]) findings.ofCustomer(p, profile.value.id);
      for (const p of copyProblems(c.value, profile.value, copyLint)) findings.ofCustomer(p, profile.value.id);
    }

    const out = ctx.io.stdout;
    const skipped = outside > 0 ? `, ${outside} outside its audience` : "";
    out.write(
      `${id}: ${rendered} of ${lines.length} sample profiles rendered${skipped} (${basename(flags.profiles)})\n`,
    );
    if (rendered === 0 && outside > 0)
      findings.ofPackage(
        problem("OMD_AUDIENCE_OUTSIDE", `no sample profile is inside the audience of ${id}: nothing was checked`),
      );
    const all = findings.all;
    for (const { problem: p, customers } of all) {
      const who =
        customers.length === 0
          ? ""
          : ` [${customers.length} customer${customers.length > 1 ? "s" : ""}: ${customers.slice(0, 5).join(", ")}${customers.length > 5 ? ", …" : ""}]`;
      out.write(`${formatProblem(p)}${who}\n`);
    }
    out.write(all.length === 0 ? "no problems\n" : `${all.length} problem${all.length > 1 ? "s" : ""}\n`);
    if (all.length > 0) ctx.exitCode = EXIT.failure;
  });
}
