import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { compose } from "../../src/compose.ts";
import { validateProfile } from "../../src/profile/index.ts";
import { type StudioHarness, signIn, startStudio } from "./harness.ts";

/** The studio's endpoints behind the real API server: authentication, sandboxing, and the engine's own answers. */
let h: StudioHarness;
let cookie: string;

beforeAll(async () => {
  h = await startStudio();
  cookie = (await signIn(h)).cookie!;
}, 240_000);
afterAll(async () => h?.close());

const get = (path: string, withCookie = true) => fetch(`${h.base}${path}`, { headers: withCookie ? { cookie } : {} });
const post = (path: string, body: unknown) =>
  fetch(`${h.base}${path}`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const sample = () => h.studio.samples.curated[0].profile;

describe("studio authentication", () => {
  test("the page is public and may load nothing from elsewhere; its data is not", async () => {
    const page = await get("", false);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(await page.text()).toContain('src="assets/app.js"');
    expect((await get("assets/app.js", false)).status).toBe(200);
    const meta = await get("api/meta", false);
    expect(meta.status).toBe(401);
    expect((await meta.json()).problems[0].code).toBe("OMD_STUDIO_SESSION_MISSING");
    expect((await get("api/events", false)).status).toBe(401);
  });

  test("signing in needs a key with the preview scope; the session cookie is HttpOnly, same-site, scoped to /studio", async () => {
    const none = await fetch(`${h.base}api/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(none.status).toBe(401);
    expect((await signIn(h, "omd_not-a-key")).status).toBe(401);
    expect((await signIn(h, h.keys.render)).status).toBe(403);
    const res = await fetch(`${h.base}api/session`, {
      method: "POST",
      headers: { authorization: `Bearer ${h.keys.preview}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(200);
    const set = res.headers.get("set-cookie")!;
    expect(set).toMatch(/^omnidoc_studio=[A-Za-z0-9_-]{43};/);
    expect(set).toContain("HttpOnly");
    expect(set).toContain("SameSite=Strict");
    expect(set).toContain("Path=/studio");
    expect(set).not.toContain(h.keys.preview);
  });

  test("signing out ends the session on the server, not only in the browser", async () => {
    const own = (await signIn(h)).cookie!;
    expect((await fetch(`${h.base}api/meta`, { headers: { cookie: own } })).status).toBe(200);
    await fetch(`${h.base}api/session`, { method: "DELETE", headers: { cookie: own } });
    expect((await fetch(`${h.base}api/meta`, { headers: { cookie: own } })).status).toBe(401);
    expect((await get("api/meta")).status).toBe(200);
  });
});

describe("studio endpoints", () => {
  test("validation answers exactly what the engine's validator says", async () => {
    const cases: [string, (p: Record<string, unknown>) => void][] = [
      ["a number as text", (p) => (p.tenureMonths = "12")],
      ["no id", (p) => delete p.id],
      ["an unknown locale", (p) => (p.locale = "xx-XX")],
      ["an invalid email", (p) => ((p.contact as Record<string, unknown>).email = "not-an-email")],
    ];
    for (const [, spoil] of cases) {
      const record = structuredClone(sample()) as unknown as Record<string, unknown>;
      spoil(record);
      const text = JSON.stringify(record);
      const expected = validateProfile(JSON.parse(text));
      expect(expected.ok).toBe(false);
      const answer = await (await post("api/validate", { profileText: text })).json();
      expect(answer.problems).toEqual(expected.ok ? [] : expected.problems);
    }
    const bad = await (await post("api/validate", { profileText: '{"id": ' })).json();
    expect(bad.problems[0].code).toBe("OMD_INPUT_NOT_JSON");
    expect(bad.problems[0].at).toBe("line 1 column 8");
  });

  test("a preview is the engine's composition: same decision, every PDF page as a crisp image, the email sandboxed", async () => {
    const runDate = "2026-11-23";
    const p = await (
      await post("api/preview", { template: "energy-bill", runDate, profileText: JSON.stringify(sample()) })
    ).json();
    const expected = await compose(h.studio.live.current().engine!, sample(), {
      template: "energy-bill",
      runDate,
      channels: ["pdf", "email", "sms"],
    });
    if (!expected.ok) throw new Error("compose failed");
    expect(p.decision).toEqual(JSON.parse(JSON.stringify(expected.value.decision)));
    expect(p.sms.text).toBe(expected.value.sms!.text);
    expect(p.pdf.pages).toBe(expected.value.pdf!.pages);
    expect(p.pdf.texts).toHaveLength(p.pdf.pages);
    for (const url of p.pdf.pageUrls) {
      const jpeg = Buffer.from(await (await get(url)).arrayBuffer());
      expect(jpeg.readUInt16BE(0)).toBe(0xffd8);
      expect(jpegWidth(jpeg)).toBe(993); // A4 (595.3 pt) at 120 dpi: 2x the 496 px the page shows it at
    }
    const email = await get(p.email.htmlUrl);
    const csp = email.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("sandbox");
    expect(csp).not.toContain("script-src");
    expect(await email.text()).toBe(expected.value.email!.html);
  });

  test("page images at another resolution are drawn on demand; out of range they are problems, unknown PDFs 404", async () => {
    const p = await (
      await post("api/preview", {
        template: "energy-bill",
        runDate: "2026-11-23",
        profileText: JSON.stringify(sample()),
      })
    ).json();
    const image = (dpi: number | string, page: number | string) => get(`api/pdf/${p.pdf.id}/${dpi}/${page}.jpg`);
    const onDemand = await image(72, p.pdf.pages);
    expect(onDemand.status).toBe(200);
    expect(jpegWidth(Buffer.from(await onDemand.arrayBuffer()))).toBe(596); // A4 at 72 dpi, rounded up
    for (const [dpi, page, at] of [
      [9999, 1, "dpi"],
      ["abc", 1, "dpi"],
      [120, p.pdf.pages + 1, "page"],
      [120, 0, "page"],
    ] as const) {
      const res = await image(dpi, page);
      expect(res.status, `${dpi} dpi, page ${page}`).toBe(400);
      expect((await res.json()).problems[0]).toMatchObject({ code: "OMD_PDF_PAGE_IMAGE_RANGE", at });
    }
    expect((await get("api/pdf/00000000000000000000/120/1.jpg")).status).toBe(404);
  });

  test("an unknown template is a problem, never a path", async () => {
    const p = await (
      await post("api/preview", { template: "nope", runDate: "2026-11-23", profileText: JSON.stringify(sample()) })
    ).json();
    expect(p.problems[0].code).toBe("OMD_TEMPLATE_NOT_FOUND");
    const traversal = await post("api/preview", { template: "../../etc", runDate: "2026-11-23", profileText: "{}" });
    expect(traversal.status).toBe(400);
  });

  test("a customer outside the template's audience gets no document, only why: the rule and where it is written", async () => {
    const inCredit = h.studio.samples.curated.find((c) => c.label === "In credit")!.profile;
    const p = await (
      await post("api/preview", {
        template: "payment-reminder",
        runDate: "2026-11-23",
        profileText: JSON.stringify(inCredit),
      })
    ).json();
    expect(p.outside.code).toBe("OMD_AUDIENCE_OUTSIDE");
    expect(p.outside.message).toContain("rule: account.balanceDue > 0");
    expect(p.outside.at).toMatch(/payment-reminder\/template\.yaml:\d+:\d+$/);
    expect(p.problems).toEqual([]);
    expect([p.pdf, p.email, p.sms, p.decision]).toEqual([undefined, undefined, undefined, undefined]);
  });

  test("a sample customer's history from the sample set fires the contact policy, with its event in the trace", async () => {
    const rules = async (label: string) => {
      const { profile } = h.studio.samples.curated.find((c) => c.label === label)!;
      const p = await (
        await post("api/preview", {
          template: "energy-bill",
          runDate: "2026-11-01",
          profileText: JSON.stringify(profile),
        })
      ).json();
      return p.decision.trace.filter((t: { event?: unknown }) => t.event);
    };
    const optedOut = await rules("Opted out (history)");
    expect(optedOut.length).toBeGreaterThan(0);
    for (const t of optedOut)
      expect(t).toMatchObject({
        rule: "opted-out",
        event: { kind: "opted-out", at: "2026-10-20T19:02:00.000Z", source: "unsubscribe" },
      });
    expect(await rules("Complained by phone (history)")).toContainEqual(
      expect.objectContaining({
        rule: "recent-complaint",
        event: expect.objectContaining({ kind: "complaint", source: "genesys", sourceId: "call-20261025-0077" }),
      }),
    );
    expect(await rules("Declined an offer (history)")).toEqual([
      expect.objectContaining({ id: "smart-meter-upgrade", rule: "declined" }),
    ]);
  });

  test("the proof PDF holds the first page of every curated customer", async () => {
    const res = await get("api/proof.pdf?template=energy-bill&runDate=2026-11-23");
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toContain("attachment");
    const { PDFDocument } = await import("pdf-lib");
    const doc = await PDFDocument.load(new Uint8Array(await res.arrayBuffer()));
    expect(doc.getPageCount()).toBe(h.studio.samples.curated.length);
  }, 120_000);
});

/** The width in a JPEG's start-of-frame segment. */
function jpegWidth(jpeg: Buffer): number {
  let at = 2;
  while (at < jpeg.length) {
    const marker = jpeg.readUInt16BE(at);
    if (marker >= 0xffc0 && marker <= 0xffc2) return jpeg.readUInt16BE(at + 7);
    at += 2 + jpeg.readUInt16BE(at + 2);
  }
  return -1;
}
