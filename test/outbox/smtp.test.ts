import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailChannel } from "../../src/channels/email/index.ts";
import { nodeWorld } from "../../src/node-world.ts";
import { smtpOutbox } from "../../src/outbox/smtp.ts";
import { energyBillPackage } from "../support/email-package.ts";
import { emailView } from "../support/email-view.ts";

interface Received {
  from: string;
  to: string[];
  data: Buffer;
}

let server: SMTPServer;
let port: number;
const received: Received[] = [];

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(chunks),
        });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.server.address() as AddressInfo).port;
});
afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

describe("SMTP outbox", () => {
  it("delivers the rendered .eml byte for byte to a real SMTP server", async () => {
    const compiled = await emailChannel.compile(energyBillPackage(), nodeWorld());
    if (!compiled.ok) throw new Error("compile");
    const email = await emailChannel.render(compiled.value, emailView("de"), { warnings: { warn: () => {} } });
    if (!email.ok) throw new Error("render");
    const outbox = smtpOutbox(`smtp://127.0.0.1:${port}`, "bounces@northwind-energy.example");
    const sent = await outbox.send({ eml: email.value.eml, to: "vanderberg.1@example.com" });
    outbox.close();
    expect(sent.ok && sent.value.accepted).toEqual(["vanderberg.1@example.com"]);
    expect(received).toHaveLength(1);
    const [mail] = received;
    expect(mail.from).toBe("bounces@northwind-energy.example");
    expect(mail.to).toEqual(["vanderberg.1@example.com"]);
    const text = mail.data.toString("utf8");
    expect(text).toMatch(/^Subject: =\?UTF-8\?Q\?Ihre_Abrechnung/m);
    expect(text).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
    expect(text).toContain("Content-Type: image/png; name=usage.png");
    // The server sees the stored message unchanged (line endings normalised to CRLF by SMTP).
    expect(mail.data.toString("utf8").replace(/\r\n$/, "")).toBe(
      Buffer.from(email.value.eml).toString("utf8").replace(/\r\n$/, ""),
    );
  });

  it("returns OMD_EMAIL_SEND, without the password, when no server listens", async () => {
    const outbox = smtpOutbox("smtp://user:secret@127.0.0.1:1", "bounces@northwind-energy.example");
    const sent = await outbox.send({ eml: new TextEncoder().encode("Subject: x\r\n\r\nx\r\n"), to: "a@example.com" });
    outbox.close();
    expect(sent.ok).toBe(false);
    if (sent.ok) return;
    expect(sent.problems[0].code).toBe("OMD_EMAIL_SEND");
    expect(sent.problems[0].at).not.toContain("secret");
  });
});
