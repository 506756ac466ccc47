import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue } from "bullmq";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Delivery, DeliveryStep } from "../../src/archive/index.ts";
import { kannelGateway, smtpGateway } from "../../src/outbox/index.ts";
import type { Profile } from "../../src/profile/index.ts";
import { eventJobId, parseQueueUrl } from "../../src/queue/index.ts";
import { collectLetters } from "../../src/realtime/index.ts";
import { inArrears } from "../support/customers.ts";
import { Kannel, shownText } from "../support/kannel.ts";
import { MailServer } from "../support/mail-server.ts";
import { RedisServer, freePort } from "../support/redis-server.ts";
import { TEST_KEYS } from "../support/signing-keys.ts";
import { KEYS, type Running, call, sampleProfile, startServer } from "../server/support.ts";

/**
 * `payment.missed` for customers in arrears, through everything real: the API, BullMQ on a Redis of the test's
 * own, the render threads, the archive, an SMTP server (smtp-server) and Kannel with fakesmsc as the operator,
 * omnidoc's own bounce endpoint, and the print queue.
 */

const BOUNCE_DOMAIN = "bounces.northwind-energy.example";
let redis: RedisServer;
let kannel: Kannel;
let mail: MailServer;
let server: Running;
let bouncePort: number;
/** The server's clock: quiet hours are read from it. 10:00 in London, a Tuesday. */
let clock = new Date("2026-11-03T10:00:00Z");

/** A customer in arrears, in England, reachable as asked. */
function customer(index: number, id: string, reach: { mobile: boolean; email: boolean }): Profile {
  const p = inArrears(sampleProfile(index));
  p.id = id;
  p.contact.address.country = "GB";
  p.preferences.language = "en";
  p.preferences.channels = ["print", "email", "sms"];
  if (reach.mobile) p.contact.mobile = `+4477009${id.slice(-5)}`;
  else delete p.contact.mobile;
  if (reach.email) p.contact.email = `${id.toLowerCase()}@example.com`;
  else delete p.contact.email;
  return p;
}

const ANNE = customer(0, "C0090001", { mobile: true, email: true });
const BEN = customer(1, "C0090002", { mobile: false, email: true });
const CARA = customer(2, "C0090003", { mobile: true, email: true });
/** Pays by Direct Debit: outside the reminder's audience. */
const DAN = { ...customer(3, "C0090004", { mobile: true, email: true }) };
DAN.account = { ...DAN.account, directDebit: true };

beforeAll(async () => {
  [redis, kannel, mail, bouncePort] = await Promise.all([
    RedisServer.start(),
    Kannel.start(),
    MailServer.start(),
    freePort(),
  ]);
  const port = await freePort();
  server = await startServer({
    port,
    now: () => clock,
    reactions: {
      queue: parseQueueUrl(redis.url()),
      name: "payment-reminder-test",
      gateways: {
        email: smtpGateway({ url: mail.url, bounceDomain: BOUNCE_DOMAIN, keys: TEST_KEYS.tracking }),
        sms: kannelGateway({
          url: kannel.url,
          username: kannel.username,
          password: kannel.password,
          from: "Northwind",
          dlrUrl: `http://127.0.0.1:${port}/dlr/kannel`,
          keys: TEST_KEYS.tracking,
          maxSegments: 3,
        }),
      },
      reportKeys: TEST_KEYS.tracking,
      retry: { attempts: 3, backoffMs: 60_000 },
      bounces: { domain: BOUNCE_DOMAIN, port: bouncePort, host: "127.0.0.1" },
    },
  });
  // Each customer's profile of record, as the CRM sends it.
  for (const profile of [ANNE, BEN, CARA, DAN]) {
    const r = await call(server.base, "/v1/documents", {
      key: KEYS.records,
      body: { template: "energy-bill", channel: "pdf", runDate: "2026-11-01", profile },
    });
    expect(r.status, await r.text()).toBe(200);
  }
}, 120_000);

afterAll(async () => {
  await server?.close();
  await Promise.all([kannel?.stop(), mail?.close(), redis?.stop()]);
});

const postEvent = (id: string, customerId: string, at = clock.toISOString()) =>
  call(server.base, "/v1/events", {
    key: KEYS.events,
    body: { id, type: "payment.missed", customerId, at, data: { amount: 86.4 } },
  });

/** The customer's deliveries for one event, by channel, once `ready` holds of them. */
async function deliveriesOf(
  customerId: string,
  eventId: string,
  ready: (by: Map<string, Delivery & { steps: DeliveryStep[] }>) => boolean,
) {
  for (let i = 0; i < 150; i++) {
    const all = await server.archive.deliveries(customerId);
    const by = new Map(all.filter((d) => d.subject.endsWith(`:${eventId}`)).map((d) => [d.channel, d]));
    if (ready(by)) return by;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `the deliveries of ${eventId} never got there: ${JSON.stringify(await server.archive.deliveries(customerId))}`,
  );
}

/** Everything the operator got for one number, its parts joined as the phone joins them. */
const textsTo = (mobile: string | undefined) =>
  kannel.received
    .filter((m) => m.to === mobile)
    .map(shownText)
    .join("");

/** What the archive keeps of an SMS: the text as sent. */
async function archivedText(documentId: string | undefined): Promise<string> {
  const stored = await server.archive.get(documentId as string);
  return JSON.parse(Buffer.from(stored?.bytes ?? []).toString("utf8")).text;
}

/** A delivery status notification (RFC 3464) as the customer's mail server sends it back to the bounce address. */
async function bounce(to: string, recipient: string, status: string, action: "failed" | "delayed") {
  const dsn = [
    "From: Mail Delivery System <MAILER-DAEMON@mx.example.com>",
    `To: ${to}`,
    "Subject: Undelivered Mail Returned to Sender",
    "MIME-Version: 1.0",
    'Content-Type: multipart/report; report-type=delivery-status; boundary="dsn-boundary"',
    "",
    "--dsn-boundary",
    "Content-Type: text/plain",
    "",
    "Your message could not be delivered.",
    "--dsn-boundary",
    "Content-Type: message/delivery-status",
    "",
    "Reporting-MTA: dns; mx.example.com",
    "",
    `Final-Recipient: rfc822; ${recipient}`,
    `Action: ${action}`,
    `Status: ${status}`,
    `Diagnostic-Code: smtp; ${status.startsWith("5") ? "550 5.1.1 no such user" : "452 4.2.2 mailbox full"}`,
    "",
    "--dsn-boundary--",
    "",
  ].join("\r\n");
  const transport = nodemailer.createTransport({ host: "127.0.0.1", port: bouncePort, secure: false, ignoreTLS: true });
  await transport.sendMail({ envelope: { from: "", to: [to] }, raw: dsn });
  transport.close();
}

describe("a missed payment becomes a reminder within the second, sent once, and we know it arrived", {
  timeout: 60_000,
}, () => {
  it("texts and emails a customer who can take both, and records the operator's delivery report", async () => {
    const r = await postEvent("EVT-ANNE-1", ANNE.id);
    expect(r.status).toBe(202);
    expect(await r.json()).toMatchObject({
      accepted: 1,
      existing: 0,
      events: [{ id: "EVT-ANNE-1", status: "accepted" }],
    });

    const email = await mail.messageTo(ANNE.contact.email as string);
    const by = await deliveriesOf(
      ANNE.id,
      "EVT-ANNE-1",
      (m) => m.get("sms")?.state === "delivered" && m.get("email")?.state === "sent",
    );
    // What the operator and the mail server got is what the archive holds.
    const sms = by.get("sms") as Delivery & { steps: DeliveryStep[] };
    expect(textsTo(ANNE.contact.mobile)).toBe(await archivedText(sms.documentId));
    expect(textsTo(ANNE.contact.mobile)).toMatch(/Northwind|payment/i);
    const emailDelivery = by.get("email") as Delivery;
    expect(emailDelivery.state).toBe("sent");
    expect(email.from).toMatch(new RegExp(`^bounces\\+${emailDelivery.id}\\.[\\w.-]+@${BOUNCE_DOMAIN}$`));
    expect(Buffer.from((await server.archive.get(emailDelivery.documentId as string))!.bytes).equals(email.data)).toBe(
      true,
    );
    // No letter: both channels took it.
    expect(by.has("print")).toBe(false);
    const steps = sms.steps.map((s) => s.state);
    expect(steps.slice(0, 3)).toEqual(["pending", "sending", "sent"]);
    expect(steps.at(-1)).toBe("delivered");
  });

  it("acts on an event once, however often it is posted, and never sends twice when acting on it again", async () => {
    const again = await postEvent("EVT-ANNE-1", ANNE.id);
    expect(again.status).toBe(202);
    expect(await again.json()).toMatchObject({ accepted: 0, existing: 1, events: [{ status: "existing" }] });
    const events = new Queue("events", { connection: { host: "127.0.0.1", port: redis.port }, prefix: "omnidoc" });
    const jobId = eventJobId("EVT-ANNE-1");
    const until = async (state: string) => {
      for (let i = 0; i < 100 && (await events.getJobState(jobId)) !== state; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(await events.getJobState(jobId)).toBe(state);
    };
    await until("completed");
    // The queue forgets a done job after a day, and a worker may die while handing a message over: the email
    // is left `sending`. Posted again, the event is acted on again; the outbox's claims are the commit point.
    const [email] = (await server.archive.deliveries(ANNE.id)).filter((d) => d.channel === "email");
    expect(await server.archive.moveDelivery(email.id, ["sent"], { state: "sending", at: clock.toISOString() })).toBe(
      true,
    );
    await (await events.getJob(jobId))?.remove();
    expect((await postEvent("EVT-ANNE-1", ANNE.id)).status).toBe(202);
    await until("completed");
    await events.close();
    const after = await deliveriesOf(ANNE.id, "EVT-ANNE-1", (m) => m.get("email")?.state === "uncertain");
    expect(after.get("email")?.detail).toMatch(/may have left/);
    expect(after.get("sms")?.state).toBe("delivered");
    await new Promise((r) => setTimeout(r, 500));
    expect(textsTo(ANNE.contact.mobile)).toBe(await archivedText(after.get("sms")?.documentId));
    expect(mail.received.filter((m) => m.to.includes(ANNE.contact.email as string))).toHaveLength(1);
  });

  it("sends a letter when neither a text nor an email can reach the customer: no mobile, and the email bounces", async () => {
    expect((await postEvent("EVT-BEN-1", BEN.id)).status).toBe(202);
    const email = await mail.messageTo(BEN.contact.email as string);
    const sent = await deliveriesOf(BEN.id, "EVT-BEN-1", (m) => m.get("email")?.state === "sent");
    expect(sent.get("sms")?.state).toBe("failed");
    expect(sent.get("sms")?.detail).toMatch(/mobile/);
    expect(sent.has("print"), "no letter while the email may still arrive").toBe(false);
    const id = sent.get("email")?.id as string;
    // A bounce to the bare delivery id (anyone who can work it out could send one) changes nothing.
    await bounce(`bounces+${id}@${BOUNCE_DOMAIN}`, BEN.contact.email as string, "5.1.1", "failed");
    await new Promise((r) => setTimeout(r, 300));
    expect((await server.archive.delivery(id))?.state).toBe("sent");

    await bounce(email.from, BEN.contact.email as string, "5.1.1", "failed");
    const after = await deliveriesOf(BEN.id, "EVT-BEN-1", (m) => m.get("print")?.state === "pending");
    const emailSteps = after.get("email")?.steps.map((s) => s.state);
    expect(emailSteps).toContain("bounced");
    expect(after.get("email")?.state).toBe("fallen-back");
    expect(after.get("print")?.fallbackOf).toBeDefined();
    // A hard bounce stops email to that address.
    expect(await server.archive.suppression("email", (BEN.contact.email as string).toUpperCase())).toMatchObject({
      channel: "email",
      deliveryId: id,
    });

    // The letter joins the next print batch.
    const dir = mkdtempSync(join(tmpdir(), "omnidoc-letters-"));
    try {
      const batch = await collectLetters(server.archive, dir, clock);
      expect(batch.letters).toBe(1);
      const text = execFileSync("pdftotext", ["-layout", join(dir, batch.file as string), "-"], { encoding: "utf8" });
      expect(text).toContain(BEN.name.last);
      expect(text).toContain(BEN.account.number);
      expect((await server.archive.delivery(after.get("print")?.id as string))?.state).toBe("sent");
      expect((await collectLetters(server.archive, join(dir, "next"), clock)).letters).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("holds a text at 3 a.m. until 8 while the email goes at once, and retries an email that bounced softly", async () => {
    clock = new Date("2026-11-04T03:00:00Z"); // 03:00 in London (GMT)
    expect((await postEvent("EVT-CARA-1", CARA.id)).status).toBe(202);
    await mail.messageTo(CARA.contact.email as string);
    const waiting = await deliveriesOf(CARA.id, "EVT-CARA-1", (m) => m.get("email")?.state === "sent" && m.has("sms"));
    const sms = waiting.get("sms") as Delivery;
    expect(sms.state).toBe("pending");
    expect(sms.notBefore).toBe("2026-11-04T08:00:00.000Z");
    expect(textsTo(CARA.contact.mobile)).toBe("");

    // 08:00: the delayed job comes due (promoted here rather than waited for) and the text goes.
    clock = new Date("2026-11-04T08:00:00Z");
    const deliveries = new Queue("deliveries", {
      connection: { host: "127.0.0.1", port: redis.port },
      prefix: "omnidoc",
    });
    const job = (await deliveries.getDelayed()).find((j) => j.data.deliveryId === sms.id);
    expect(job, "no delayed job for the held text").toBeDefined();
    await job?.promote();
    await deliveriesOf(CARA.id, "EVT-CARA-1", (m) => m.get("sms")?.state === "delivered");
    expect(textsTo(CARA.contact.mobile)).toBe(await archivedText(sms.documentId));

    // A full mailbox (4.2.2) is retried with back-off: the same message again, to the same bounce address.
    const email = waiting.get("email") as Delivery;
    const firstEmail = await mail.messageTo(CARA.contact.email as string);
    await bounce(firstEmail.from, CARA.contact.email as string, "4.2.2", "failed");
    const deferred = await deliveriesOf(CARA.id, "EVT-CARA-1", (m) => m.get("email")?.state === "deferred");
    expect(Date.parse(deferred.get("email")?.notBefore as string)).toBe(clock.getTime() + 60_000);
    const retry = (await deliveries.getDelayed()).find((j) => j.data.deliveryId === email.id);
    clock = new Date(clock.getTime() + 60_000);
    await retry?.promote();
    const again = await mail.messageTo(CARA.contact.email as string, 2);
    expect(again.data.equals((await mail.messageTo(CARA.contact.email as string, 1)).data)).toBe(true);
    await deliveriesOf(
      CARA.id,
      "EVT-CARA-1",
      (m) => m.get("email")?.state === "sent" && (m.get("email")?.attempts ?? 0) === 2,
    );
    await deliveries.close();
  });

  it("sends nothing to a customer outside the reminder's audience: the template's own rules apply", async () => {
    expect((await postEvent("EVT-DAN-1", DAN.id)).status).toBe(202);
    const events = new Queue("events", { connection: { host: "127.0.0.1", port: redis.port }, prefix: "omnidoc" });
    for (let i = 0; i < 100 && (await events.getJobState(eventJobId("EVT-DAN-1"))) !== "completed"; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await events.getJobState(eventJobId("EVT-DAN-1"))).toBe("completed");
    await events.close();
    expect(await server.archive.deliveries(DAN.id)).toEqual([]);
    expect(textsTo(DAN.contact.mobile)).toBe("");
  });
});
