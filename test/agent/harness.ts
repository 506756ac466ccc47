import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { agentPlugin } from "../../src/agent/index.ts";
import {
  type Archive,
  type DeliveryChange,
  type DeliveryInput,
  type DeliveryState,
  type DocumentInput,
  openArchive,
} from "../../src/archive/index.ts";
import { decisionOfRecord } from "../../src/batch/decision-of-record.ts";
import { compose } from "../../src/compose.ts";
import { buildEngine } from "../../src/engine.ts";
import { nodeWorld } from "../../src/node-world.ts";
import type { Profile } from "../../src/profile/index.ts";
import { buildServer, newKey } from "../../src/server/index.ts";
import { offerIdsIn } from "../../src/view/index.ts";
import { BACKENDS, backendArchive } from "../server/relationship-support.ts";
import { ROOT } from "../server/support.ts";

export { BACKENDS };

/** The call centre's key, a key that may only render, and a studio key: only the first may sign in. */
export const AGENT_KEYS = {
  agent: newKey("call-centre-desk", ["archive:read"]),
  render: newKey("renderer", ["render"]),
  preview: newKey("studio", ["preview"]),
};

export interface AgentHarness {
  base: string;
  archive: Archive;
  app: FastifyInstance;
  /** The server's log lines, at debug level. */
  logs: string[];
  /** The server's clock, which a test may move. */
  clock: { now: Date };
  close(): Promise<void>;
}

/** The real API server with the agent's view, on a loopback port, over an empty archive of either backend. */
export async function startAgent(backend: (typeof BACKENDS)[number]): Promise<AgentHarness> {
  const store = backendArchive(backend, "agent-view");
  const scratch = mkdtempSync(join(tmpdir(), "omnidoc-agent-"));
  const opened = await openArchive(
    store.url ?? `sqlite:${join(scratch, "archive.db")}?blobs=${join(scratch, "blobs")}`,
  );
  if (!opened.ok) throw new Error(opened.problems[0].message);
  const archive = opened.value;
  const clock = { now: new Date("2026-11-04T09:30:00.000Z") };
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      logs.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  const app = await buildServer({
    keys: Object.values(AGENT_KEYS).map((k) => k.entry),
    archive,
    root: ROOT,
    pool: { workers: 1 },
    log: { level: "debug", stream },
    now: () => clock.now,
    plugins: [agentPlugin({ archive, now: () => clock.now })],
  });
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  return {
    base: `${address}/agent/`,
    archive,
    app,
    logs,
    clock,
    async close() {
      app.server.closeAllConnections();
      await app.close();
      await archive.close();
      await store.drop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** A session cookie for requests made outside the browser. */
export async function signIn(h: AgentHarness, key = AGENT_KEYS.agent.key): Promise<{ status: number; cookie: string }> {
  const res = await fetch(`${h.base}api/session`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: "{}",
  });
  return { status: res.status, cookie: res.headers.get("set-cookie")?.split(";")[0] ?? "" };
}

export const CUSTOMER = "C0000042";

/**
 * A customer as a call centre meets one: two months of statements (PDF, email and SMS composed by the real engine
 * from a sample profile, archived with their decisions of record), a click and an answer on the offer, and
 * contacts from the call centre and chat, and how November's went out: the text delivered, the email bounced
 * and a letter sent in its place, and a triggered text waiting for quiet hours to end. Returns the composition's
 * hero, its offers (not its messages) in slot order, the ids of November's documents and deliveries, and what its
 * email and SMS said.
 */
export async function recordCustomer(archive: Archive): Promise<{
  hero: string;
  offers: string[];
  profile: Profile;
  documents: Record<string, string>;
  deliveries: Record<"email" | "letter" | "sms" | "quiet", string>;
  sent: { subject: string; sms: string };
}> {
  const built = await buildEngine(nodeWorld(ROOT));
  if (!built.ok) throw new Error(built.problems.map((p) => p.message).join("\n"));
  const profile = { ...withAllChannels(), id: CUSTOMER };
  let documents: Record<string, string> = {};
  let hero = "";
  let offers: string[] = [];
  let sent = { subject: "", sms: "" };
  for (const runDate of ["2026-10-01", "2026-11-01"]) {
    const c = await compose(built.value, profile, {
      template: "energy-bill",
      runDate,
      channels: ["pdf", "email", "sms"],
    });
    if (!c.ok) throw new Error(c.problems.map((p) => p.message).join("\n"));
    const { pdf, email, sms, decision, view } = c.value;
    hero = decision.slots.hero[0].id;
    offers = [...decision.slots.hero, ...decision.slots.secondary].filter((i) => i.kind === "offer").map((i) => i.id);
    sent = { subject: email!.subject, sms: sms!.text };
    const runId = `run-${runDate}`;
    const created = `${runDate}T06:00:00.000Z`;
    const base = { customerId: CUSTOMER, template: "energy-bill", templateVersion: "1.0.0", runId, created };
    // As a billing run archives them: each document with the items it shows, and the decision of record.
    const docs: DocumentInput[] = [
      {
        ...base,
        channel: "pdf",
        contentType: "application/pdf",
        bytes: pdf!.bytes,
        offerIds: offerIdsIn("pdf", view),
        profile,
      },
      {
        ...base,
        channel: "email",
        contentType: "message/rfc822",
        bytes: email!.eml,
        offerIds: offerIdsIn("email", view),
      },
      {
        ...base,
        channel: "sms",
        contentType: "application/json",
        bytes: Buffer.from(JSON.stringify(sms)),
        offerIds: offerIdsIn("sms", view),
      },
    ];
    const record = decisionOfRecord(built.value, c.value, {
      runId,
      template: "energy-bill",
      created,
      channels: ["pdf", "email", "sms"],
    });
    const recorded = await archive.recordMany(docs, [], [record]);
    documents = Object.fromEntries(recorded.map((d) => [d.channel, d.id]));
  }
  await archive.recordInteractions([
    {
      customerId: CUSTOMER,
      source: "genesys",
      sourceId: "call-7731",
      at: "2026-11-02T14:05:00Z",
      channel: "call-centre",
      topic: "billing question",
      outcome: "resolved",
      note: "Asked why the November bill is higher; explained the colder month",
    },
    {
      customerId: CUSTOMER,
      source: "zendesk-chat",
      sourceId: "chat-19",
      at: "2026-10-12T08:40:00Z",
      channel: "chat",
      topic: "meter reading",
      outcome: "reading taken",
    },
  ]);
  await archive.recordResponses([
    {
      customerId: CUSTOMER,
      offerId: hero,
      response: "clicked",
      at: "2026-11-02T19:12:00Z",
      source: "link",
      sourceId: "click-1",
      channel: "email",
    },
  ]);
  return { hero, offers, profile, documents, deliveries: await recordDeliveries(archive, documents), sent };
}

/** As the outbox records them: each claim, then every move by compare and set, as its gateway reports it. */
async function recordDeliveries(archive: Archive, documents: Record<string, string>) {
  const claim = async (d: Omit<DeliveryInput, "customerId">) =>
    (await archive.claimDelivery({ customerId: CUSTOMER, ...d })).delivery.id;
  const move = async (id: string, from: DeliveryState, change: DeliveryChange) => {
    if (!(await archive.moveDelivery(id, [from], change))) throw new Error(`${id} was not ${from}`);
  };
  const sms = await claim({
    subject: `document:${documents.sms}`,
    channel: "sms",
    address: "+447700900123",
    documentId: documents.sms,
    at: "2026-11-01T07:00:00Z",
  });
  await move(sms, "pending", { state: "sending", at: "2026-11-01T07:00:01Z", attempt: true });
  await move(sms, "sending", { state: "sent", at: "2026-11-01T07:00:02Z", gateway: "kannel", gatewayId: "sms-77" });
  await move(sms, "sent", { state: "delivered", at: "2026-11-01T07:00:09Z", detail: "DLR 1: delivered to phone" });
  const email = await claim({
    subject: `document:${documents.email}`,
    channel: "email",
    address: "customer@example.com",
    documentId: documents.email,
    at: "2026-11-01T07:00:00Z",
  });
  await move(email, "pending", { state: "sending", at: "2026-11-01T07:01:00Z", attempt: true });
  await move(email, "sending", { state: "sent", at: "2026-11-01T07:01:01Z", gateway: "smtp", gatewayId: "<m1@x>" });
  await move(email, "sent", { state: "bounced", at: "2026-11-01T07:20:00Z", detail: "550 5.1.1 mailbox unknown" });
  const letter = await claim({
    subject: `document:${documents.pdf}`,
    channel: "print",
    documentId: documents.pdf,
    fallbackOf: email,
    at: "2026-11-01T07:20:01Z",
  });
  await move(email, "bounced", { state: "fallen-back", at: "2026-11-01T07:20:01Z" });
  await move(letter, "pending", { state: "sent", at: "2026-11-01T18:00:00Z", gateway: "print-batch" });
  const quiet = await claim({
    subject: "event:meter-read-due-C0000042",
    channel: "sms",
    address: "+447700900123",
    notBefore: "2026-11-04T08:00:00Z",
    at: "2026-11-03T22:15:00Z",
  });
  return { email, letter, sms, quiet };
}

/** A sample customer who takes every channel and consents to marketing, so each channel carries the offer. */
function withAllChannels(): Profile {
  const line = readFileSync(join(ROOT, "samples/customers-200.ndjson"), "utf8").split("\n")[0];
  const p = JSON.parse(line) as Profile;
  return {
    ...p,
    contact: {
      ...p.contact,
      email: p.contact.email ?? "customer@example.com",
      mobile: p.contact.mobile ?? "+447700900123",
    },
    preferences: { ...p.preferences, channels: ["print", "email", "sms"], marketingConsent: true, paperless: false },
  };
}
