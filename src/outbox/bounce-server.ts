import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import type { Problem } from "../core/index.ts";
import { readBounce } from "./dsn.ts";
import type { DeliveryReport } from "./types.ts";
import { deliveryIdOf } from "./verp.ts";

/** Where the bounces' delivery reports go, and the messages that turned out not to be bounces. */
export interface BounceHandlers {
  /** Records a report. Called again for the same report when a failure made the sender retry. */
  onReport(report: DeliveryReport): Promise<void> | void;
  /** A message that is not a DSN: taken, never bounced back (that would be backscatter), only logged. */
  onProblem(problem: Problem): void;
}

/** Reads one message that reached a bounce address and hands on what it says. */
export async function takeBounce(raw: Uint8Array, envelopeTo: string | undefined, to: BounceHandlers): Promise<void> {
  const reports = await readBounce(raw, envelopeTo);
  if (!reports.ok) {
    for (const p of reports.problems) to.onProblem(p);
    return;
  }
  for (const report of reports.value) await to.onReport(report);
}

export interface BounceServerOptions extends BounceHandlers {
  /** The bounce domain: mail is taken for `bounces+<deliveryId>@<domain>` only. */
  domain: string;
  /** The largest message taken, in bytes (a DSN with the whole returned message); 10 MB unless told. */
  maxBytes?: number;
}

export interface BounceServer {
  /** Listens; resolves to the port (useful with port 0). */
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * omnidoc's own SMTP endpoint for bounces: the MX of the bounce domain. Recipients other than bounce addresses
 * are refused at RCPT (550), so it relays nothing and takes no one else's mail.
 */
export function bounceServer(options: BounceServerOptions): BounceServer {
  const server = new SMTPServer({
    name: options.domain,
    banner: "omnidoc bounces",
    logger: false,
    authOptional: true,
    disabledCommands: ["AUTH"],
    size: options.maxBytes ?? 10 * 1024 * 1024,
    onRcptTo(address, _session, callback) {
      if (deliveryIdOf(address.address, options.domain) !== undefined) return callback();
      callback(smtpError(550, `5.1.1 <${address.address}>: no such bounce address`));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      // Past the size limit the rest is only counted, not kept.
      stream.on("data", (chunk: Buffer) => stream.sizeExceeded || chunks.push(chunk));
      stream.on("end", () => {
        if (stream.sizeExceeded) return callback(smtpError(552, "5.3.4 message too big"));
        const raw = Buffer.concat(chunks);
        Promise.all(session.envelope.rcptTo.map((rcpt) => takeBounce(raw, rcpt.address, options))).then(
          () => callback(),
          // The report was not recorded: the sending server keeps the bounce and tries again later. Why is
          // the recorder's to log, not a stranger's to read.
          () => callback(smtpError(451, "4.3.0 the report could not be recorded, try again later")),
        );
      });
    },
  });
  return {
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        // Before listening, an error (the port taken) fails the start. After, errors are senders' dropped
        // connections: the sender retries, and rejecting a settled promise does nothing, where an error with
        // no listener would end the process.
        server.on("error", reject);
        server.listen(port, host, () => resolve((server.server.address() as AddressInfo).port));
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function smtpError(responseCode: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode });
}
