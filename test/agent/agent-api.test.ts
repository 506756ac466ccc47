import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CustomerView } from "../../src/agent/index.ts";
import type { Profile } from "../../src/profile/index.ts";
import { AGENT_KEYS, type AgentHarness, BACKENDS, CUSTOMER, recordCustomer, signIn, startAgent } from "./harness.ts";

/**
 * The agent's view over HTTP against the real server and both archive backends: who may sign in, finding a
 * customer without the account number reaching a URL or the log, the timeline and offer now as the archive
 * holds them, the documents as sent, and every read in the audit trail under the signed-in key.
 */
describe.each(BACKENDS)("the agent's view: %s", (backend) => {
  let h: AgentHarness;
  let cookie: string;
  let hero: string;
  let profile: Profile;
  let documents: Record<string, string>;
  let deliveries: Awaited<ReturnType<typeof recordCustomer>>["deliveries"];
  let sent: { subject: string; sms: string };

  beforeAll(async () => {
    h = await startAgent(backend);
    ({ hero, profile, documents, deliveries, sent } = await recordCustomer(h.archive));
    cookie = (await signIn(h)).cookie;
  }, 120_000);
  afterAll(async () => h?.close());

  const get = (path: string, headers: Record<string, string> = { cookie }) =>
    fetch(`${h.base}api/${path}`, { headers });
  const find = (query: string, headers: Record<string, string> = {}) =>
    fetch(`${h.base}api/find`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json", ...headers },
      body: JSON.stringify({ query }),
    });
  const view = async () => (await (await get(`customers/${CUSTOMER}`)).json()) as CustomerView;

  it("serves the page to anyone (it holds no data) under a policy that loads nothing from elsewhere", async () => {
    const page = await fetch(h.base);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    const html = await page.text();
    for (const asset of html.matchAll(/(?:src|href)="([^"]+)"/g)) expect(asset[1]).toMatch(/^(assets\/|#)/);
    expect((await fetch(`${h.base}assets/app.js`)).status).toBe(200);
    expect((await fetch(`${h.base}assets/app.css`)).status).toBe(200);
  });

  it("lets in only a key with archive:read, for a session cookie scoped to /agent", async () => {
    for (const key of [AGENT_KEYS.render.key, AGENT_KEYS.preview.key]) expect((await signIn(h, key)).status).toBe(403);
    const res = await fetch(`${h.base}api/session`, {
      method: "POST",
      headers: { authorization: `Bearer ${AGENT_KEYS.agent.key}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toMatch(/^omnidoc_agent=[\w-]{43}; Path=\/agent; HttpOnly; SameSite=Strict;/);
    const none = await get(`customers/${CUSTOMER}`, {});
    expect(none.status).toBe(401);
    expect((await none.json()).problems[0].code).toBe("OMD_AGENT_SESSION_MISSING");
    expect(await (await get("session")).json()).toEqual({ key: "call-centre-desk" });
  });

  it("ends a session on the server at sign-out", async () => {
    const own = (await signIn(h)).cookie;
    expect((await get("session", { cookie: own })).status).toBe(200);
    await fetch(`${h.base}api/session`, { method: "DELETE", headers: { cookie: own } });
    expect((await get("session", { cookie: own })).status).toBe(401);
  });

  it("ends every session of a key taken out of the server's keys, at its next request", async () => {
    const own = (await signIn(h)).cookie;
    const ring = h.app.keyRing;
    ring.replace([AGENT_KEYS.render.entry, AGENT_KEYS.preview.entry]);
    try {
      expect((await get("session", { cookie: own })).status).toBe(401);
    } finally {
      ring.replace(Object.values(AGENT_KEYS).map((k) => k.entry));
    }
    // Putting the key back does not bring an ended session back: the agent signs in again.
    expect((await get("session", { cookie: own })).status).toBe(401);
    expect((await get("session", { cookie: (await signIn(h)).cookie })).status).toBe(200);
  });

  it("finds a customer by id or by the account number of the profile of record, in a POST body only", async () => {
    expect(await (await find(CUSTOMER)).json()).toEqual({ customers: [CUSTOMER] });
    expect(await (await find(profile.account.number)).json()).toEqual({ customers: [CUSTOMER] });
    expect(await (await find(` ${profile.account.number} `)).json()).toEqual({ customers: [CUSTOMER] });
    expect(await (await find("C9999999")).json()).toEqual({ customers: [] });
    expect(await (await find("no such account")).json()).toEqual({ customers: [] });
    // No search by query string, where an account number would land in access logs.
    expect((await get(`find?query=${profile.account.number}`)).status).toBe(404);
    const bad = await find("");
    expect(bad.status).toBe(400);
    expect((await bad.json()).problems[0].code).toBe("OMD_API_BODY_INVALID");
  });

  it("refuses a search that another site's page makes the browser send", async () => {
    const res = await find(CUSTOMER, { origin: "https://evil.example", "sec-fetch-site": "cross-site" });
    expect(res.status).toBe(403);
    expect((await res.json()).problems[0].code).toBe("OMD_AGENT_ORIGIN_FOREIGN");
  });

  it("offers now what the bill offered: the hero of the latest decision of record, as GET …/offers answers", async () => {
    const v = await view();
    expect(v.offerNow.offers[0]?.offerId).toBe(hero);
    expect(v.offerNow.offers[0]?.documents.map((d) => d.channel).sort()).toEqual(["email", "pdf", "sms"]);
    const api = await fetch(`${h.base.replace("/agent/", "")}/v1/customers/${CUSTOMER}/offers`, {
      headers: { authorization: `Bearer ${AGENT_KEYS.agent.key}` },
    });
    const { customerId: _, today: __, ...offers } = await api.json();
    expect(v.offerNow).toEqual(offers);
  });

  it("shows one timeline, newest first: documents as sent, offers with their state, every interaction", async () => {
    const v = await view();
    expect(v.customer).toEqual({
      name: [profile.name.title, profile.name.first, profile.name.last].filter(Boolean).join(" "),
      accountNumber: profile.account.number,
      channels: ["print", "email", "sms"],
      marketingConsent: true,
    });
    const times = v.timeline.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const kinds = v.timeline.map((e) => (e.kind === "document" ? e.channel : e.kind));
    expect(kinds.filter((k) => k === "pdf" || k === "email" || k === "sms")).toHaveLength(6);
    expect(kinds.filter((k) => k === "interaction")).toHaveLength(2);
    // The hero was sent twice and clicked since: its entry stands at the click, with every event before it.
    const offer = v.timeline.find((e) => e.kind === "offer" && e.offerId === hero);
    expect(offer).toMatchObject({ state: "clicked", at: "2026-11-02T19:12:00.000Z" });
    expect(offer?.kind === "offer" && offer.events.map((e) => e.state)).toEqual(["sent", "sent", "clicked"]);
    const email = v.timeline.find((e) => e.kind === "document" && e.channel === "email");
    // The subject as the customer read it: read back from the message, its non-ASCII words decoded.
    expect(email?.kind === "document" && email.subject).toBe(sent.subject);
    const sms = v.timeline.find((e) => e.kind === "document" && e.channel === "sms");
    expect(sms?.kind === "document" && sms.text).toBe(sent.sms);
    const call = v.timeline.find((e) => e.kind === "interaction" && e.source === "genesys");
    expect(call).toMatchObject({ channel: "call-centre", topic: "billing question", outcome: "resolved" });
  });

  it("shows every delivery at its latest state with its steps, the fallback tied to what it stands in for", async () => {
    const v = await view();
    const shown = Object.fromEntries(v.timeline.flatMap((e) => (e.kind === "delivery" ? [[e.id, e]] : [])));
    expect(Object.keys(shown).sort()).toEqual(Object.values(deliveries).sort());
    const { email, letter, sms, quiet } = deliveries;
    expect(shown[email]).toMatchObject({
      at: "2026-11-01T07:20:01.000Z",
      channel: "email",
      state: "fallen-back",
      problem: true,
      address: "customer@example.com",
      documentId: documents.email,
      attempts: 1,
      gateway: "smtp",
      detail: "550 5.1.1 mailbox unknown",
      fallback: letter,
    });
    expect(shown[email].steps.map((s: { state: string }) => s.state)).toEqual([
      "pending",
      "sending",
      "sent",
      "bounced",
      "fallen-back",
    ]);
    expect(shown[email].steps[3]).toEqual({
      at: "2026-11-01T07:20:00.000Z",
      state: "bounced",
      detail: "550 5.1.1 mailbox unknown",
    });
    expect(shown[letter]).toMatchObject({ channel: "print", state: "sent", problem: false, fallbackOf: email });
    expect(shown[letter]).not.toHaveProperty("address");
    expect(shown[sms]).toMatchObject({ state: "delivered", problem: false, detail: "DLR 1: delivered to phone" });
    expect(shown[quiet]).toMatchObject({ state: "pending", notBefore: "2026-11-04T08:00:00.000Z", attempts: 0 });
    // Only what did not reach the customer is listed apart.
    expect(v.deliveryProblems.map((d) => d.id)).toEqual([email]);
  });

  it("moves an offer to accepted once the customer accepts it, and takes it off offer now", async () => {
    await h.archive.recordResponses([
      {
        customerId: CUSTOMER,
        offerId: hero,
        response: "accepted",
        at: "2026-11-03T10:00:00Z",
        source: "call-centre",
        sourceId: "call-7790",
      },
    ]);
    const v = await view();
    expect(v.timeline.find((e) => e.kind === "offer" && e.offerId === hero)).toMatchObject({ state: "accepted" });
    expect(v.offerNow.offers.map((o) => o.offerId)).not.toContain(hero);
  });

  it("says the archive knows nothing of an unknown customer, and refuses an id that is not one", async () => {
    const unknown = await get("customers/C9999999");
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).problems[0].code).toBe("OMD_AGENT_CUSTOMER_UNKNOWN");
    expect((await get("customers/..%2F..%2Fetc")).status).toBe(400);
  });

  // The first thumbnail starts the thread that draws pages: seconds, and tens of them on a loaded machine.
  it("shows each document as sent: the PDF's first page, the email with its images inline, the PDF itself", async () => {
    const thumb = await get(`documents/${documents.pdf}/thumbnail.jpg`);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get("content-type")).toBe("image/jpeg");
    expect(thumb.headers.get("cache-control")).toBe("no-store");
    const jpeg = Buffer.from(await thumb.arrayBuffer());
    expect(jpeg.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    // An A4 page at 48 dpi: 397 pixels wide (the SOF0 frame holds height, then width).
    const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    expect(jpeg.readUInt16BE(sof + 7)).toBe(397);

    const email = await get(`documents/${documents.email}/email`);
    expect(email.status).toBe(200);
    expect(email.headers.get("content-security-policy")).toContain("sandbox");
    expect(email.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await email.text();
    expect(html).toContain(profile.name.first);
    expect(html).not.toMatch(/["'(]cid:/);
    expect(html).toMatch(/src="data:image\/png;base64,/);

    const pdf = await get(`documents/${documents.pdf}/pdf`);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
    // A document is read only through the channel it is: an email is no PDF, and no image is drawn of it.
    expect((await get(`documents/${documents.email}/thumbnail.jpg`)).status).toBe(404);
    expect((await get(`documents/${documents.pdf}/email`)).status).toBe(404);
  }, 90_000);

  it("records every read in the audit trail under the key that signed in", async () => {
    const trail = await h.archive.auditTrail(CUSTOMER, { limit: 1000 });
    const routes = new Set(trail.filter((e) => e.keyName === "call-centre-desk").map((e) => e.route));
    expect(routes).toEqual(
      new Set([
        "POST /agent/api/find",
        "GET /agent/api/customers/:id",
        "GET /agent/api/documents/:id/thumbnail.jpg",
        "GET /agent/api/documents/:id/email",
        "GET /agent/api/documents/:id/pdf",
        "GET /v1/customers/:id/offers",
      ]),
    );
    expect(trail.find((e) => e.route === "GET /agent/api/documents/:id/pdf")?.documentId).toBe(documents.pdf);
  });

  it("logs routes and the key's name, never the account number, the customer's name or an agent's note", async () => {
    const log = h.logs.join("\n");
    expect(log).toContain('"route":"/agent/api/find"');
    expect(log).toContain('"key":"call-centre-desk"');
    for (const secret of [profile.account.number, profile.name.last, "explained the colder month"])
      expect(log).not.toContain(secret);
  });
});
