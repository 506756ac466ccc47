import { resolve } from "node:path";
import type { Command } from "commander";
import { ProblemError } from "../core/index.ts";
import { type Profile, parseProfileLine } from "../profile/index.ts";
import { sampleLines } from "../sample/index.ts";
import type { CliContext } from "./context.ts";
import { compositionFiles, writeFiles } from "./outputs.ts";
import { engineFromFlags, withOneOffSigningKeys } from "./shared.ts";

/** The sample customers the demo shows, each chosen for what it exercises. */
const SHOWCASE: { why: string; pick: (p: Profile) => boolean }[] = [
  { why: "Cyrillic name", pick: (p) => /\p{Script=Cyrillic}/u.test(p.name.first + p.name.last) },
  { why: "Greek name", pick: (p) => /\p{Script=Greek}/u.test(p.name.first + p.name.last) },
  { why: "vulnerable", pick: (p) => p.segment === "vulnerable" },
  { why: "in arrears", pick: (p) => p.account.inArrears },
  { why: "in credit", pick: (p) => p.account.balanceDue < 0 },
  { why: "French", pick: (p) => p.preferences.language === "fr" },
  { why: "German", pick: (p) => p.preferences.language === "de" },
];

/** The reference extract the demo picks from: the same 200 customers `omnidoc sample 200` writes. */
function referenceProfiles(): Profile[] {
  return [...sampleLines({ count: 200 })].flatMap((text, i) => {
    const r = parseProfileLine(text, i + 1);
    return r.ok ? [r.value] : [];
  });
}

/** The showcase customers plus the one with the longest itemised bill, which runs over several pages. */
function showcase(profiles: Profile[]): { why: string; profile: Profile }[] {
  // One customer a row: the first that shows the case and no earlier row has shown.
  const taken = new Set<Profile>();
  const chosen = SHOWCASE.flatMap(({ why, pick }) => {
    const profile = profiles.find((p) => pick(p) && !taken.has(p));
    if (!profile) return [];
    taken.add(profile);
    return [{ why, profile }];
  });
  const longest = profiles.reduce((a, b) => (b.account.charges.length > a.account.charges.length ? b : a));
  return [...chosen, { why: `${longest.account.charges.length} charge lines`, profile: longest }];
}

export function registerDemo(program: Command, ctx: CliContext): void {
  program
    .command("demo")
    .description("render every channel for a handful of sample customers")
    .option("-o, --out <dir>", "output folder", "out/demo")
    .action(async (flags: { out: string }) => {
      // The demo's documents go to no one: without configured keys it signs with one made for this run.
      const engine = await engineFromFlags({}, withOneOffSigningKeys(ctx.io.stderr));
      const { compose } = await import("../compose.ts");
      const out = resolve(flags.out);
      const rows = [["customer", "why", "channels", "hero offer", "pages", "sms segments", "not sent"]];
      for (const { why, profile } of showcase(referenceProfiles())) {
        const result = await compose(engine, profile, {
          template: "energy-bill",
          channels: ["pdf", "email", "sms"],
          runDate: profile.account.statementDate,
        });
        if (!result.ok) throw new ProblemError(result.problems);
        const c = result.value;
        writeFiles(out, compositionFiles(profile.id, c));
        const channels = (["pdf", "email", "sms"] as const).filter((ch) => c[ch]).join(",");
        rows.push([
          profile.id,
          why,
          channels,
          c.view.offers.hero?.id ?? "-",
          String(c.pdf?.pages ?? "-"),
          String(c.sms?.segments ?? "-"),
          c.problems.map((p) => p.code).join(" "),
        ]);
      }
      const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
      for (const r of rows)
        ctx.io.stdout.write(
          `${r
            .map((cell, i) => cell.padEnd(widths[i]))
            .join("  ")
            .trimEnd()}\n`,
        );
      ctx.io.stdout.write(`\nwrote ${out}\n`);
    });
}
