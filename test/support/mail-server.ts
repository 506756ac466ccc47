import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

/** A message as the mail server took it: the envelope and the bytes. */
export interface ReceivedMail {
  from: string;
  to: string[];
  data: Buffer;
}

/**
 * A mail server of a test's own (the `smtp-server` package): takes every message and keeps it, in order, so a
 * test sees exactly what was handed over, envelope included.
 */
export class MailServer {
  readonly received: ReceivedMail[] = [];
  private readonly waiters: (() => void)[] = [];
  private readonly server: SMTPServer;
  port = 0;

  private constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onData: (stream, session, done) => {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          this.received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
            data: Buffer.concat(chunks),
          });
          for (const wake of this.waiters.splice(0)) wake();
          done();
        });
      },
    });
  }

  static async start(): Promise<MailServer> {
    const mail = new MailServer();
    await new Promise<void>((resolve) => mail.server.listen(0, "127.0.0.1", resolve));
    mail.port = (mail.server.server.address() as AddressInfo).port;
    return mail;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Resolves with the first message to `address` once one has arrived. */
  async messageTo(address: string, nth = 1): Promise<ReceivedMail> {
    for (;;) {
      const to = this.received.filter((m) => m.to.includes(address));
      if (to.length >= nth) return to[nth - 1];
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
