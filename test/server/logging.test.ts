import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeWorld } from "../../src/node-world.ts";
import type { Profile } from "../../src/profile/index.ts";
import { sampleLines } from "../../src/sample/index.ts";
import { loggerOptions, scrub } from "../../src/server/logging.ts";
import { prepareStudio, studioPlugin } from "../../src/studio/index.ts";
import { KEYS, ROOT, type Running, startServer } from "./support.ts";

const RUN_DATE = "2026-11-01";
const KEY_VALUES = Object.values(KEYS).map((k) => k.key);

/** Every route the server has, as Fastify prints them: a route added later is in the load without a word here. */
function routesOf(tree: string): { method: string; url: string }[] {
  const routes: { method: string; url: string }[] = [];
  const parents: string[] = [];
  for (const line of tree.split("\n")) {
    const m = /^([│├└─\s]*?)([├└]── )(\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1].length / 4;
    const url = (parents[depth - 1] ?? "") + m[3];
    parents[depth] = url;
    for (const method of m[4]?.split(", ") ?? []) routes.push({ method, url });
  }
  return routes;
}

/** Strings of a profile that are personal data, in the forms a URL or a log would show them. */
function personalStrings(p: Profile): string[] {
  const { name, contact, account } = p;
  const values = [name.first, name.last, ...contact.address.lines, contact.address.city, contact.address.postcode];
  values.push(account.number);
  if (contact.email) values.push(contact.email, contact.email.toLowerCase(), encodeURIComponent(contact.email));
  if (contact.mobile) values.push(contact.mobile, encodeURIComponent(contact.mobile), contact.mobile.slice(1));
  return [...new Set(values)];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** A whole value, not part of a longer word or number (a name "Ann" is not in "Annual"). */
const wholeValue = (s: string) => new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(s)}(?![\\p{L}\\p{N}])`, "u");

let s: Running;
let profiles: Profile[];
beforeAll(async () => {
  const studio = await prepareStudio({ world: nodeWorld(ROOT), engine: {}, watch: false });
  s = await startServer({ captureLogs: "debug", plugins: [studioPlugin(studio)] });
  profiles = [...sampleLines({ count: 6, seed: 16 })].map((l) => JSON.parse(l) as Profile);
}, 120_000);
afterAll(async () => {
  s?.app.server.closeAllConnections();
  await s?.close();
});

interface Sent {
  method: string;
  path: string;
  body?: unknown;
  key?: string;
  cookie?: string;
}

/** The answer's status and headers; status 0 when the server closed the connection (HEAD of an event stream does). */
async function send(r: Sent): Promise<{ status: number; headers?: Headers }> {
  const headers: Record<string, string> = {};
  if (r.key) headers.authorization = `Bearer ${r.key}`;
  if (r.cookie) headers.cookie = r.cookie;
  if (r.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${s.base}${r.path}`, {
    method: r.method,
    headers,
    body: r.body === undefined ? undefined : JSON.stringify(r.body),
    redirect: "manual",
  }).catch(() => undefined);
  // An event stream never ends: the status is all this load needs of any answer.
  await res?.body?.cancel();
  return { status: res?.status ?? 0, headers: res?.headers };
}

describe("logs under a load of every route", () => {
  it("hold no field of any profile sent and no key, at debug level", async () => {
    const routes = routesOf(s.app.printRoutes({ commonPrefix: false }));
    expect(routes.map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining(["POST /v1/documents", "GET /v1/customers/:id/documents", "POST /studio/api/preview"]),
    );
    const admin = KEYS.admin.key;
    const signIn = await fetch(`${s.base}/studio/api/session`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
      body: "{}",
    });
    const cookie = signIn.headers.get("set-cookie")?.split(";")[0];
    expect(cookie).toBeTruthy();

    const sent: Sent[] = [];
    const go = async (r: Sent) => {
      sent.push(r);
      return send(r);
    };
    // What a client does: render every channel, decide, read the archive back, preview in the studio.
    for (const profile of profiles) {
      for (const channel of ["pdf", "email", "sms"]) {
        const res = await go({
          method: "POST",
          path: "/v1/documents",
          key: admin,
          body: { template: "energy-bill", channel, runDate: RUN_DATE, profile },
        });
        const id = res.headers?.get("omnidoc-document-id");
        if (id) await go({ method: "GET", path: `/v1/documents/${id}`, key: admin });
      }
      await go({ method: "POST", path: "/v1/decisions", key: admin, body: { runDate: RUN_DATE, profile } });
      await go({ method: "GET", path: `/v1/customers/${profile.id}/documents`, key: admin });
      // A body that fails validation, with the personal data still in it.
      const bad = { ...profile, contact: { ...profile.contact, mobile: `${profile.name.first} ${profile.name.last}` } };
      await go({
        method: "POST",
        path: "/v1/documents",
        key: admin,
        body: { template: "energy-bill", channel: "sms", runDate: RUN_DATE, profile: bad },
      });
      const profileText = JSON.stringify(profile);
      await go({ method: "POST", path: "/studio/api/validate", cookie, body: { profileText } });
      const preview = await fetch(`${s.base}/studio/api/preview`, {
        method: "POST",
        headers: { cookie: cookie as string, "content-type": "application/json" },
        body: JSON.stringify({ template: "energy-bill", runDate: RUN_DATE, profileText }),
      }).then((r) => r.json());
      sent.push({ method: "POST", path: "/studio/api/preview" });
      for (const url of [...(preview.pdf?.pageUrls ?? []).slice(0, 1), preview.pdf?.pdfUrl].filter(Boolean))
        await go({ method: "GET", path: `/studio/${url}`, cookie });
      if (preview.email) await go({ method: "GET", path: `/studio/api/email/${preview.email.id}`, cookie });
    }
    // What an attacker or a careless client does, on every route: personal data in the path, the query and
    // the body, and a key in the query string.
    const first = profiles[0];
    const query = new URLSearchParams({
      email: first.contact.email ?? "",
      name: `${first.name.first} ${first.name.last}`,
      address: first.contact.address.lines.join(", "),
      postcode: first.contact.address.postcode,
      mobile: first.contact.mobile ?? "",
      account: first.account.number,
    });
    const keyRefusals: number[] = [];
    // Signing out of the studio last, so that every studio route before it is tried signed in.
    const hostile = [...routes].sort((a, b) => Number(a.method === "DELETE") - Number(b.method === "DELETE"));
    for (const { method, url } of hostile) {
      const path = url.replace(/:[A-Za-z]+/g, encodeURIComponent(first.contact.email ?? "x")).replace("*", "x");
      const body = ["POST", "PUT", "PATCH", "DELETE"].includes(method) ? { profile: first } : undefined;
      await go({ method, path: `${path}?${query}`, key: admin, cookie, body });
      for (const name of ["api_key", "access_token"]) {
        const res = await go({ method, path: `${path}?${name}=${admin}`, body });
        keyRefusals.push(res.status);
      }
    }

    const text = s.logs.join("\n");
    const hits = [
      ...profiles.flatMap((p) => personalStrings(p).map((v) => `${p.id}: ${v}`)),
      ...KEY_VALUES.map((k) => `key: ${k}`),
    ].filter((hit) => wholeValue(hit.slice(hit.indexOf(": ") + 2)).test(text));
    console.info(
      `${sent.length} requests over ${routes.length} routes, ${Buffer.byteLength(text)} bytes of log in ${s.logs.length} lines, ${hits.length} personal-data or key hits`,
    );
    expect(hits).toEqual([]);
    const lines = s.logs.map((l) => JSON.parse(l));
    const requestLines = lines.filter((l) => l.msg === "request");
    // The logs are there, one line a request naming its route pattern: every route was seen.
    // (An event stream a session opened is still open: its line comes when it closes.)
    const streams = sent.filter((r) => r.path.startsWith("/studio/api/events?") && r.cookie).length;
    expect(requestLines.length).toBe(sent.length + 1 - streams);
    const logged = new Set(requestLines.map((l) => `${l.method} ${l.route}`));
    // (`/docs/` is the pattern `/docs`; a wildcard's made-up path is a 404 with no route.)
    for (const r of routes.filter((r) => !r.url.endsWith("*")))
      expect(logged, `${r.method} ${r.url}`).toContain(`${r.method} ${r.url.replace(/(.)\/$/, "$1")}`);
    expect(lines.filter((l) => l.msg === "archived").length).toBeGreaterThan(0);

    // A key in the URL is refused on every route, valid as it is.
    expect(new Set(keyRefusals)).toEqual(new Set([400]));
  }, 300_000);
});

describe("a key in a URL", () => {
  it("is refused, valid as it is, with the parameter named and the key not echoed", async () => {
    const key = KEYS.render.key;
    for (const [path, at] of [
      [`/v1/templates?api_key=${key}`, "querystring/api_key"],
      [`/v1/templates?X-Api-Key=${key}`, "querystring/X-Api-Key"],
      [`/v1/customers/${key}/documents`, "url"],
    ]) {
      const res = await fetch(`${s.base}${path}`);
      const text = await res.text();
      expect(res.status, path).toBe(400);
      expect(JSON.parse(text).problems[0]).toMatchObject({ code: "OMD_API_KEY_IN_URL", at });
      expect(text).toContain("Authorization");
      expect(text).not.toContain(key);
    }
  });
});

describe("the logger", () => {
  it("keeps only allow-listed fields, whatever code logs, and never an error's message", () => {
    const lines: string[] = [];
    const { stream: _, ...options } = loggerOptions({ level: "debug" });
    const log = pino(options, { write: (line: string) => void lines.push(line) });
    const profile = profiles[0];
    const err = Object.assign(new Error(`duplicate key (${profile.contact.email})`), {
      code: "23505",
      detail: profile.name.last,
    });
    log.debug(
      { profile, body: { profile }, url: `/x?email=${profile.contact.email}`, customerId: profile.id, route: "/x/:id" },
      "debugging",
    );
    log.error(err);
    log.warn({ err, headers: { authorization: `Bearer ${KEYS.admin.key}` } });
    log.info("value %s", profile.name.first);
    const parsed = lines.map((l) => JSON.parse(l));
    expect(parsed.map(({ level, time, pid, hostname, ...rest }) => rest)).toEqual([
      { route: "/x/:id", msg: "debugging" },
      { err: { type: "Error", code: "23505", frames: expect.any(Array) }, msg: "Error" },
      { err: { type: "Error", code: "23505", frames: expect.any(Array) }, msg: "Error" },
      { msg: "value %s" },
    ]);
    expect(parsed[1].err.frames[0]).toMatch(/^at /);
  });
});

describe("the message, the one free-text field", () => {
  it("loses query strings, emails (also percent-encoded), phone numbers and keys", () => {
    expect(
      scrub(`reply sent twice in "/x/a.b%40example.co.uk?e=a.b@example.co.uk" or +353861234567 omd_${"A".repeat(43)}`),
    ).toBe('reply sent twice in "/x/[redacted]?[redacted]" or [redacted] [redacted]');
  });
});
