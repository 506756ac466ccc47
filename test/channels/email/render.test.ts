import { beforeAll, describe, expect, it } from "vitest";
import type { EmailOutput, RenderContext } from "../../../src/channels/channel.ts";
import { type CompiledEmail, emailChannel } from "../../../src/channels/email/index.ts";
import type { Problem } from "../../../src/core/index.ts";
import { nodeWorld } from "../../../src/node-world.ts";
import type { View } from "../../../src/view/index.ts";
import { energyBillPackage } from "../../support/email-package.ts";
import { emailItems, emailView } from "../../support/email-view.ts";
import { makeItem } from "../../view/fixtures.ts";

let compiled: CompiledEmail;
beforeAll(async () => {
  const r = await emailChannel.compile(energyBillPackage(), nodeWorld());
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  compiled = r.value;
});

const NO_CHART: RenderContext = { warnings: { warn: () => {} }, options: { emailChart: false } };

async function render(view: View, ctx: RenderContext = NO_CHART): Promise<EmailOutput> {
  const r = await emailChannel.render(compiled, view, ctx);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value;
}

const emlText = (e: EmailOutput) => Buffer.from(e.eml).toString("utf8");
const header = (eml: string, name: string) => {
  const head = eml.slice(0, eml.indexOf("\r\n\r\n")).replace(/\r\n[ \t]+/g, " ");
  return new RegExp(`^${name}: (.*)$`, "mi").exec(head)?.[1];
};

describe("one customer's email", () => {
  it("puts balance and due date in the subject, and the period in the preheader", async () => {
    const e = await render(emailView("fr"));
    expect(e.subject).toBe("Votre relevé : 1\u202f130,14\u00a0€ à régler avant le 22 novembre 2026");
    expect(e.preheader).toBe(
      "Votre relevé d’énergie pour la période du 1 octobre 2026 au 31 octobre 2026 est disponible.",
    );
    expect(e.to).toBe("vanderberg.1@example.com");
  });

  it("says 'in credit' and offers no pay button to a customer in credit", async () => {
    const view = emailView("en");
    const credit = {
      ...view,
      account: { ...view.account, isCredit: true, balanceDue: "£12.50", balanceDueAmount: -12.5 },
    };
    const e = await render(credit);
    expect(e.subject).toBe("Your statement: £12.50 in credit");
    expect(e.html).not.toContain(view.links.pay.replace(/&/g, "&amp;"));
    expect(e.text).toContain("Balance in credit");
  });

  it("links the pay button to the signed pay link, intact in HTML and text", async () => {
    const view = emailView("en");
    const e = await render(view);
    expect(e.html).toContain(`href="${view.links.pay.replace(/&/g, "&amp;")}"`);
    expect(e.text).toContain(`Pay now\n<${view.links.pay}>`);
  });

  it("shows the hero, secondary offers and notices, and leaves out items email may not carry", async () => {
    const items = [
      ...emailItems(),
      makeItem({
        id: "print-only",
        slot: "secondary",
        channels: ["print"],
        copy: { headline: "Paper only", body: "x" },
      }),
    ];
    const e = await render(emailView("en", {}, items));
    for (const words of ["Go smart", "Switch to 100% green", "Your prices change on 1 January"]) {
      expect(e.html).toContain(words);
      expect(e.text).toContain(words);
    }
    expect(e.text).not.toContain("Paper only");
  });

  it("sends marketing with an unsubscribe link and one-click List-Unsubscribe headers", async () => {
    const view = emailView("en");
    const e = await render(view);
    const eml = emlText(e);
    expect(e.marketing).toBe(true);
    expect(e.text).toContain(`<${view.links.unsubscribe}>`);
    expect(header(eml, "List-Unsubscribe")).toBe(`<${view.links.unsubscribe}>`);
    expect(header(eml, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
  });

  it("sends no marketing, unsubscribe link or list headers without consent", async () => {
    const view = emailView("en", {}, emailItems());
    const noConsent = { ...view, customer: { ...view.customer, marketingConsent: false } };
    const e = await render(noConsent);
    expect(e.marketing).toBe(false);
    expect(e.text).not.toContain("Go smart");
    expect(e.text).toContain("Your prices change on 1 January");
    expect(e.text).not.toContain(view.links.unsubscribe);
    expect(header(emlText(e), "List-Unsubscribe")).toBeUndefined();
  });

  it("fails with OMD_EMAIL_NO_ADDRESS for a customer without email", async () => {
    const view = emailView("en");
    const { email: _, ...customer } = view.customer;
    const r = await emailChannel.render(compiled, { ...view, customer }, NO_CHART);
    expect(!r.ok && r.problems.map((p: Problem) => p.code)).toEqual(["OMD_EMAIL_NO_ADDRESS"]);
  });

  it("prints markup in customer data as text", async () => {
    const view = emailView("en");
    const e = await render({ ...view, customer: { ...view.customer, fullName: '</div><script>alert("x")</script>' } });
    expect(e.html).not.toContain("<script>");
    expect(e.html).toContain("&lt;/div&gt;&lt;script&gt;");
    expect(e.text).toContain('Dear </div><script>alert("x")</script>,');
  });

  it("is accessible: lang, alt on every image, presentational layout tables", async () => {
    const e = await render(emailView("de"), { warnings: { warn: () => {} } });
    expect(e.html).toMatch(/<html lang="de"/);
    const imgs = [...e.html.matchAll(/<img\b[^>]*>/g)].map((m) => m[0]);
    expect(imgs.length).toBeGreaterThan(0);
    for (const img of imgs) expect(img).toMatch(/\balt="[^"]{20,}"/);
    const tables = [...e.html.matchAll(/<table\b[^>]*>/g)].map((m) => m[0]);
    expect(tables.length).toBeGreaterThan(5);
    for (const t of tables) expect(t).toContain('role="presentation"');
  });

  it("declares a dark colour scheme that keeps the balance readable", async () => {
    const e = await render(emailView("en"));
    expect(e.html).toContain('<meta name="color-scheme" content="light dark">');
    expect(e.html).toMatch(
      /@media \(prefers-color-scheme: dark\)[\s\S]*\.od-box \.od-amount div \{ color: #FFFFFF !important; \}/,
    );
    expect(e.html).toMatch(/\[data-ogsc\] \.od-box \.od-amount div \{ color: #FFFFFF !important; \}/);
  });
});

describe("the MIME message", () => {
  it("is multipart/alternative with the chart inline by Content-ID, and an encoded display name", async () => {
    const e = await render(emailView("fr"), { warnings: { warn: () => {} } });
    const eml = emlText(e);
    expect(header(eml, "Content-Type")).toMatch(/^multipart\/alternative; boundary=/);
    expect(header(eml, "To")).toBe("=?UTF-8?Q?Dr_Chlo=C3=A9_van_der_Berg?= <vanderberg.1@example.com>");
    expect(header(eml, "Subject")).toMatch(/^=\?UTF-8\?Q\?/);
    expect(eml).toMatch(/Content-Type: multipart\/related; type="text\/html"/);
    const cid = /Content-ID: <([^>]+)>/.exec(eml)?.[1];
    expect(cid).toMatch(/^usage-[0-9a-f]{20}@northwind-energy\.example$/);
    // The HTML part (base64) refers to the image by that Content-ID; the .html carries it as data.
    const part =
      /Content-Type: text\/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n([A-Za-z0-9+/=\r\n]+)/.exec(
        eml,
      );
    const htmlPart = Buffer.from(part?.[1] ?? "", "base64").toString("utf8");
    expect(htmlPart).toContain(`src="cid:${cid}"`);
    expect(htmlPart).toContain('<html lang="fr"');
    expect(e.html).toContain('src="data:image/png;base64,iVBORw0KGgo');
  });

  it("has a fixed Message-ID and Date from the run, and the same bytes every time", async () => {
    const a = await render(emailView("en"), { warnings: { warn: () => {} } });
    const b = await render(emailView("en"), { warnings: { warn: () => {} } });
    const eml = emlText(a);
    expect(header(eml, "Date")).toBe("Sun, 01 Nov 2026 06:00:00 +0000");
    expect(header(eml, "Message-ID")).toMatch(/^<2026-11-01\.[0-9a-f]{32}@northwind-energy\.example>$/);
    expect(Buffer.from(a.eml).equals(Buffer.from(b.eml))).toBe(true);
    expect(a.html === b.html).toBe(true);
  });
});

describe("line endings", () => {
  it("ends every line of the .eml in CRLF", async () => {
    const eml = emlText(await render(emailView("en"), { warnings: { warn: () => {} } }));
    expect(eml.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  });

  it("ends every line of the base64 HTML part in CRLF too (text in canonical form, RFC 2046 4.1.1)", async () => {
    const e = await render(emailView("fr"));
    const part =
      /Content-Type: text\/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n([A-Za-z0-9+/=\r\n]+)/.exec(
        emlText(e),
      );
    const html = Buffer.from(part?.[1] ?? "", "base64").toString("utf8");
    // The merged HTML has bare LFs (the subject and preheader partials end in one); the part has none.
    expect(e.html).toMatch(/[^\r]\n/);
    expect(html).toBe(e.html.replace(/\r?\n/g, "\r\n"));
  });

  it("keeps header lines within 998 characters and every body line within 76 (RFC 5322 §2.1.1, RFC 2045 §6.7, §6.8)", async () => {
    for (const lang of ["en", "fr", "de"] as const) {
      const eml = emlText(await render(emailView(lang), { warnings: { warn: () => {} } }));
      const head = eml.slice(0, eml.indexOf("\r\n\r\n"));
      const body = eml.slice(head.length + 4);
      expect(Math.max(...head.split("\r\n").map((l) => l.length))).toBeLessThanOrEqual(998);
      const long = body.split("\r\n").filter((l) => l.length > 76 && !/^[A-Za-z-]+: /.test(l) && !/^ /.test(l));
      expect(long).toEqual([]);
    }
  });
});
