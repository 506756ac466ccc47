import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import type { Command } from "commander";
import { ProblemError, signingKeysOf } from "../core/index.ts";
import { nodeWorld } from "../node-world.ts";
import type { Gateways } from "../realtime/index.ts";
import type { ReactionsOptions } from "../server/index.ts";
import { CliError, EXIT } from "./errors.ts";
import { PACKAGE_ROOT, queueAddress, wholeNumber } from "./shared.ts";

export interface ReactionFlags {
  events?: string;
  smtp?: string;
  bounceDomain: string;
  bouncePort?: string;
  bounceMaildir?: string;
  dkimKey?: string;
  dkimDomain?: string;
  dkimSelector: string;
  kannel?: string;
  smsFrom: string;
  smsMaxSegments: string;
  publicUrl?: string;
}

/** The flags of `omnidoc serve` that make it act on events and deliver their messages. */
export function reactionOptions(command: Command): Command {
  return command
    .option(
      "--events <url>",
      "act on posted events: their queue, redis://HOST:PORT/DB (BullMQ; servers given the same one share the work)",
    )
    .option(
      "--smtp <url>",
      "the mail server triggered emails go to, smtp://[USER:PASSWORD@]HOST:PORT (default: $OMNIDOC_SMTP_URL)",
    )
    .option("--bounce-domain <domain>", "domain of the bounce addresses, bounces+ID@DOMAIN", "bounces.omnidoc.invalid")
    .option("--bounce-port <n>", "take bounces (RFC 3464 DSNs) for the bounce domain by SMTP on this port")
    .option("--bounce-maildir <dir>", "take bounces from this Maildir (read every 10 s)")
    .option("--dkim-key <file>", "sign emails with DKIM with this private key (PEM)")
    .option("--dkim-domain <domain>", "the DKIM signing domain (d=)")
    .option("--dkim-selector <name>", "the DKIM selector (s=)", "omnidoc")
    .option("--kannel <url>", "Kannel's sendsms, http://USER:PASSWORD@HOST:13013 (default: $OMNIDOC_KANNEL_URL)")
    .option("--sms-from <sender>", "the sender texts show", "Northwind")
    .option("--sms-max-segments <n>", "the SMS provider's cap: a longer text is refused before sending", "3")
    .option(
      "--public-url <url>",
      "where the SMS gateway reaches this server with delivery reports (default: its address)",
    );
}

/** What `--events` and the gateway flags ask for, or undefined without `--events`. */
export async function reactionsFrom(
  flags: ReactionFlags,
  listening: { host: string; port: number },
): Promise<ReactionsOptions | undefined> {
  const smtp = flags.smtp ?? process.env.OMNIDOC_SMTP_URL;
  const kannel = flags.kannel ?? process.env.OMNIDOC_KANNEL_URL;
  if (flags.events === undefined) {
    if (smtp !== undefined || kannel !== undefined || flags.bouncePort !== undefined)
      usage("--smtp, --kannel and --bounce-port send and take what events start: give --events too");
    return undefined;
  }
  const keys = signingKeysOf(nodeWorld(PACKAGE_ROOT), "trackingKey");
  if (!keys.ok) throw new ProblemError(keys.problems);
  const publicUrl = (flags.publicUrl ?? `http://${listening.host}:${listening.port}`).replace(/\/+$/, "");
  // Loaded only for a server that sends: the mail and SMS clients are not the command line's to load.
  const { kannelGateway, smtpGateway } = await import("../outbox/index.ts");
  const gateways: Gateways = {};
  if (smtp !== undefined) {
    if ((flags.dkimKey === undefined) !== (flags.dkimDomain === undefined))
      usage("--dkim-key and --dkim-domain go together");
    gateways.email = smtpGateway({
      url: smtp,
      bounceDomain: flags.bounceDomain,
      keys: keys.value,
      ...(flags.dkimKey !== undefined && {
        dkim: {
          domainName: flags.dkimDomain as string,
          keySelector: flags.dkimSelector,
          privateKey: readFileSync(flags.dkimKey, "utf8"),
        },
      }),
    });
  }
  if (kannel !== undefined) {
    const url = new URL(kannel);
    const credentials = { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
    url.username = "";
    url.password = "";
    gateways.sms = kannelGateway({
      url: url.toString(),
      ...credentials,
      from: flags.smsFrom,
      dlrUrl: `${publicUrl}/dlr/kannel`,
      keys: keys.value,
      maxSegments: wholeNumber(flags.smsMaxSegments, "--sms-max-segments", 1),
    });
  }
  const bounces =
    flags.bouncePort !== undefined || flags.bounceMaildir !== undefined
      ? {
          domain: flags.bounceDomain,
          ...(flags.bouncePort !== undefined && { port: wholeNumber(flags.bouncePort, "--bounce-port", 0) }),
          host: listening.host,
          ...(flags.bounceMaildir !== undefined && { maildir: flags.bounceMaildir }),
        }
      : undefined;
  return {
    queue: await queueAddress(flags.events),
    name: `${hostname()}-${process.pid}`,
    gateways,
    reportKeys: keys.value,
    ...(bounces && { bounces }),
  };
}

function usage(message: string): never {
  throw new CliError(message, EXIT.usage);
}
