import { randomBytes } from "node:crypto";
import type { Command } from "commander";
import { KEY_ID, KEY_ID_RULE, SECRET_VARIABLES } from "../core/index.ts";
import type { CliContext } from "./context.ts";
import { CliError, EXIT } from "./errors.ts";

/** A new key as the signing-key variables take it, `KID:SECRET`: 256 random bits, base64url. */
export function newSigningKey(kid: string): string {
  return `${kid}:${randomBytes(32).toString("base64url")}`;
}

/** The day's date as a key id (`261205`): short, since it travels in every link, and it tells a key's age. */
function kidOfToday(now: Date): string {
  return now.toISOString().slice(2, 10).replaceAll("-", "");
}

/**
 * `omnidoc signing-key`: prints a new signing key for OMNIDOC_LINK_KEY or OMNIDOC_TRACKING_KEY. To rotate, put
 * the new key first and keep the old one after it until what it signed has expired.
 */
export function registerSigningKey(program: Command, ctx: CliContext): void {
  const variables = Object.values(SECRET_VARIABLES).join(" and ");
  program
    .command("signing-key")
    .description(`print a new key for ${variables} (KID:SECRET; the first key of a list signs, all verify)`)
    .option("--kid <id>", `the key id, ${KEY_ID_RULE} (default: today's date, YYMMDD)`)
    .action((flags: { kid?: string }) => {
      const kid = flags.kid ?? kidOfToday(new Date());
      if (!KEY_ID.test(kid)) throw new CliError(`--kid must be ${KEY_ID_RULE}, not "${kid}"`, EXIT.usage);
      ctx.io.stdout.write(`${newSigningKey(kid)}\n`);
    });
}
