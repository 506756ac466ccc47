import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type PlainResponse, requestFrom } from "../server/support.ts";
import { type StudioHarness, signIn, startStudio } from "./harness.ts";

/**
 * The studio behind a TLS proxy and against other sites' pages. The proxy is 127.0.0.2 (the only address the
 * server trusts); 127.0.0.1 is a client straight to the server, whose forwarded headers count for nothing.
 */
const PROXY = "127.0.0.2";
const DIRECT = "127.0.0.1";
let h: StudioHarness;
let cookie: string;
let own: string;

beforeAll(async () => {
  h = await startStudio({ trustProxy: [PROXY] });
  cookie = (await signIn(h)).cookie!;
  own = new URL(h.base).origin;
}, 240_000);
afterAll(async () => h?.close());

const api = (from: string, path: string, method: string, headers: Record<string, string>, body?: unknown) =>
  requestFrom(from, `${h.base}api/${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const signInFrom = (from: string, headers: Record<string, string> = {}) =>
  api(from, "session", "POST", { authorization: `Bearer ${h.keys.preview}`, ...headers }, {});
const validate = (from: string, headers: Record<string, string>) =>
  api(from, "validate", "POST", { cookie, ...headers }, { profileText: "{}" });
const codeOf = (r: PlainResponse) => JSON.parse(r.body).problems[0].code;

describe("the session cookie behind a TLS proxy", () => {
  test("is Secure when the trusted proxy says the browser came over https, and SameSite=Strict always", async () => {
    const viaTls = await signInFrom(PROXY, { "x-forwarded-proto": "https" });
    expect(viaTls.status).toBe(200);
    expect(viaTls.headers["set-cookie"]?.[0]).toMatch(/; HttpOnly; SameSite=Strict; .*; Secure$/);
    const plain = await signInFrom(PROXY);
    expect(plain.headers["set-cookie"]?.[0]).toContain("SameSite=Strict");
    expect(plain.headers["set-cookie"]?.[0]).not.toContain("Secure");
  });

  test("ignores X-Forwarded-Proto from anyone but the trusted proxy", async () => {
    const spoofed = await signInFrom(DIRECT, { "x-forwarded-proto": "https" });
    expect(spoofed.status).toBe(200);
    expect(spoofed.headers["set-cookie"]?.[0]).not.toContain("Secure");
  });
});

describe("requests that change something come only from the studio's own pages", () => {
  test("another site's page is refused with 403, by Origin or by Sec-Fetch-Site", async () => {
    const foreign: Record<string, string>[] = [
      { origin: "https://evil.example" },
      { origin: "null" },
      { origin: own.replace("127.0.0.1", "localhost") },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
      { origin: own, "sec-fetch-site": "cross-site" },
    ];
    for (const headers of foreign) {
      const r = await validate(DIRECT, headers);
      expect(r.status, JSON.stringify(headers)).toBe(403);
      expect(codeOf(r)).toBe("OMD_STUDIO_ORIGIN_FOREIGN");
    }
    // Signing in with a stolen key from another page, and signing the user out, are refused the same way.
    expect((await signInFrom(DIRECT, { origin: "https://evil.example" })).status).toBe(403);
    const signOut = await api(DIRECT, "session", "DELETE", { cookie, origin: "https://evil.example" });
    expect(signOut.status).toBe(403);
    expect((await api(DIRECT, "meta", "GET", { cookie })).status).toBe(200);
  });

  test("the studio's own page, and a client that is not a browser, are let through", async () => {
    expect((await validate(DIRECT, { origin: own, "sec-fetch-site": "same-origin" })).status).toBe(200);
    expect((await validate(DIRECT, {})).status).toBe(200);
    // Reading is never refused for its origin: a page elsewhere cannot read the answer anyway.
    expect((await api(DIRECT, "meta", "GET", { cookie, "sec-fetch-site": "cross-site" })).status).toBe(200);
  });

  test("behind the proxy, the origin the browser used is the studio's own; the same claim straight to the server is not", async () => {
    const forwarded = { "x-forwarded-proto": "https", "x-forwarded-host": "studio.example" };
    const page = { origin: "https://studio.example", "sec-fetch-site": "same-origin" };
    expect((await validate(PROXY, { ...forwarded, ...page })).status).toBe(200);
    expect((await validate(DIRECT, { ...forwarded, ...page })).status).toBe(403);
  });
});

describe("what the studio serves", () => {
  test("stays out of the public OpenAPI document, which still lists the API", async () => {
    const docs = JSON.parse((await requestFrom(DIRECT, new URL("/docs/json", h.base).href)).body);
    const paths = Object.keys(docs.paths);
    expect(paths).toContain("/v1/documents");
    expect(paths.filter((p) => p.startsWith("/studio"))).toEqual([]);
  });

  test("a preview, its page images, PDF and email are kept by no cache", async () => {
    const profileText = JSON.stringify(h.studio.samples.curated[0].profile);
    const preview = await api(
      DIRECT,
      "preview",
      "POST",
      { cookie },
      {
        template: "energy-bill",
        runDate: "2026-11-23",
        profileText,
      },
    );
    expect(preview.status).toBe(200);
    const p = JSON.parse(preview.body);
    const parts = [
      preview,
      ...(await Promise.all(
        [p.pdf.pageUrls[0], `api/pdf/${p.pdf.id}.pdf`, p.email.htmlUrl].map((url: string) =>
          requestFrom(DIRECT, new URL(url, h.base).href, { headers: { cookie } }),
        ),
      )),
    ];
    expect(parts.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(parts.map((r) => r.headers["cache-control"])).toEqual(["no-store", "no-store", "no-store", "no-store"]);
  });
});
