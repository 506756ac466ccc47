import { generateKeyPairSync } from "node:crypto";
import type { AddressInfo } from "node:net";
import { dkimVerify } from "mailauth";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailChannel } from "../../src/channels/email/index.ts";
import { nodeWorld } from "../../src/node-world.ts";
import { smtpGateway, verifiedDeliveryId } from "../../src/outbox/index.ts";
import { TEST_KEYS } from "../support/signing-keys.ts";
import { energyBillPackage } from "../support/email-package.ts";
import { emailView } from "../support/email-view.ts";

interface Received {
  from: string;
  to: string[];
  /** What the sender asked of notifications (RFC 3461): returned content, envelope id, when to notify. */
  dsn: { ret?: string | null; envid?: string | null; notify?: string[] };
  data: Buffer;
}

const keys = TEST_KEYS.tracking;

/** The mail server: takes everything but two addresses, one gone for good, one greylisted. */
let server: SMTPServer;
let url: string;
const received: Received[] = [];
const refusals: Record<string, [number, string]> = {
  "gone@example.com": [550, "5.1.1 user unknown"],
  "greylisted@example.com": [451, "4.7.1 greylisted, try again later"],
};

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const dkim = {
  domainName: "northwind-energy.example",
  keySelector: "omd2026",
  privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
};
/** DNS as the verifier would ask it: the selector's TXT record holds the public key. */
const dns = async (name: string, type: string) => {
  if (type !== "TXT" || name !== "omd2026._domainkey.northwind-energy.example") throw new Error(`no ${type} ${name}`);
  return [[`v=DKIM1; k=rsa; p=${publicKey.export({ type: "spki", format: "der" }).toString("base64")}`]];
};

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    hideDSN: false,
    onRcptTo(address, _session, callback) {
      const refusal = refusals[address.address];
      if (!refusal) return callback();
      callback(Object.assign(new Error(refusal[1]), { responseCode: refusal[0] }));
    },
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          dsn: { ...session.envelope.dsn, notify: session.envelope.rcptTo[0]?.dsn?.notify },
          data: Buffer.concat(chunks),
        });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
});
afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

async function renderedEmail(): Promise<Uint8Array> {
  const compiled = await emailChannel.compile(energyBillPackage(), nodeWorld());
  if (!compiled.ok) throw new Error("compile");
  const email = await emailChannel.render(compiled.value, emailView("de"), { warnings: { warn: () => {} } });
  if (!email.ok) throw new Error("render");
  return email.value.eml;
}

const tiny = new TextEncoder().encode("Message-ID: <t1@northwind-energy.example>\r\nSubject: x\r\n\r\nx\r\n");

describe("SMTP gateway", () => {
  it("sends the rendered .eml byte for byte from the delivery's bounce address, signed with DKIM that verifies", async () => {
    const eml = await renderedEmail();
    const gateway = smtpGateway({ url, bounceDomain: "bounces.northwind-energy.example", keys, dkim });
    const sent = await gateway.send({ channel: "email", deliveryId: "d-7f3a9c", to: "vanderberg.1@example.com", eml });
    await gateway.close();

    expect(sent.ok).toBe(true);
    if (!sent.ok) return;
    const messageId = /^Message-ID:\s*<([^>]+)>/im.exec(Buffer.from(eml).toString("latin1"))?.[1];
    expect(sent.value).toMatchObject({
      gateway: "smtp",
      gatewayId: messageId,
      response: expect.stringMatching(/^250/),
    });
    const mail = received.at(-1);
    // The bounce address and the envelope id carry the delivery id with a keyed tag: a bounce that names it
    // can only come back from a message we sent.
    const signed = /^bounces\+([^@]+)@bounces\.northwind-energy\.example$/.exec(mail?.from ?? "")?.[1] ?? "";
    expect(verifiedDeliveryId(signed, keys)).toBe("d-7f3a9c");
    expect(verifiedDeliveryId(signed.replace("d-7f3a9c", "d-7f3a9d"), keys)).toBeUndefined();
    expect(mail?.to).toEqual(["vanderberg.1@example.com"]);
    expect(mail?.dsn).toEqual({ ret: "HDRS", envid: signed, notify: ["FAILURE"] });
    const data = mail?.data ?? Buffer.alloc(0);

    // The server sees the stored message with one header put on top (line endings are CRLF on both sides).
    const signature = /^DKIM-Signature:.*\r\n(?:[ \t].*\r\n)*/.exec(data.toString("latin1"))?.[0] ?? "";
    expect(signature).toMatch(/\bd=northwind-energy\.example;/);
    expect(signature).toMatch(/\bs=omd2026;/);
    expect(data.subarray(Buffer.byteLength(signature, "latin1")).toString("latin1").replace(/\r\n$/, "")).toBe(
      Buffer.from(eml).toString("latin1").replace(/\r\n$/, ""),
    );

    const verified = await dkimVerify(data, { resolver: dns });
    expect(verified.results.map((r) => [r.signingDomain, r.status.result])).toEqual([
      ["northwind-energy.example", "pass"],
    ]);
  });

  it("the verifier fails the signature of a message whose signed Subject was changed on the way", async () => {
    const gateway = smtpGateway({ url, bounceDomain: "bounces.northwind-energy.example", keys, dkim });
    const sent = await gateway.send({ channel: "email", deliveryId: "d-1", to: "a@example.com", eml: tiny });
    await gateway.close();
    expect(sent.ok).toBe(true);
    const tampered = Buffer.from(
      (received.at(-1)?.data ?? Buffer.alloc(0)).toString("latin1").replace("Subject: x", "Subject: y"),
      "latin1",
    );
    const verified = await dkimVerify(tampered, { resolver: dns });
    expect(verified.results.map((r) => [r.status.result, r.status.comment])).toEqual([["fail", "bad signature"]]);
  });

  it("a 550 at RCPT is a permanent failure, a 451 a temporary one", async () => {
    const gateway = smtpGateway({ url, bounceDomain: "bounces.northwind-energy.example", keys, dkim });
    const gone = await gateway.send({ channel: "email", deliveryId: "d-2", to: "gone@example.com", eml: tiny });
    const greylisted = await gateway.send({
      channel: "email",
      deliveryId: "d-3",
      to: "greylisted@example.com",
      eml: tiny,
    });
    await gateway.close();
    expect(gone.ok ? undefined : [gone.failure.permanent, gone.failure.problem.code]).toEqual([true, "OMD_EMAIL_SEND"]);
    expect(gone.ok ? "" : gone.failure.problem.message).toContain("550");
    expect(greylisted.ok ? undefined : [greylisted.failure.permanent, greylisted.failure.problem.code]).toEqual([
      false,
      "OMD_EMAIL_SEND",
    ]);
  });

  it("no server listening is a temporary failure, reported without the URL's password", async () => {
    const gateway = smtpGateway({ url: "smtp://user:secret@127.0.0.1:1", bounceDomain: "bounces.example", keys });
    const sent = await gateway.send({ channel: "email", deliveryId: "d-4", to: "a@example.com", eml: tiny });
    await gateway.close();
    expect(sent.ok).toBe(false);
    if (sent.ok) return;
    expect(sent.failure.permanent).toBe(false);
    expect(sent.failure.problem.code).toBe("OMD_EMAIL_SEND");
    expect(sent.failure.problem.at).toBe("smtp://user:***@127.0.0.1:1");
  });

  it("refuses, for good and without sending, an email with no Message-ID or a delivery id no address can hold", async () => {
    const gateway = smtpGateway({ url, bounceDomain: "bounces.example", keys });
    const before = received.length;
    const anonymous = await gateway.send({
      channel: "email",
      deliveryId: "d-5",
      to: "a@example.com",
      eml: new TextEncoder().encode("Subject: x\r\n\r\nx\r\n"),
    });
    const oddId = await gateway.send({ channel: "email", deliveryId: "d 6@x", to: "a@example.com", eml: tiny });
    await gateway.close();
    expect(anonymous.ok ? undefined : anonymous.failure.permanent).toBe(true);
    expect(oddId.ok ? undefined : oddId.failure.permanent).toBe(true);
    expect(received.length).toBe(before);
  });
});
