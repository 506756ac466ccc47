import { beforeAll, describe, expect, it } from "vitest";
import type { EmailOutput, RenderContext } from "../../../src/channels/channel.ts";
import { type CompiledEmail, emailChannel } from "../../../src/channels/email/index.ts";
import { buildEml, type MailParts } from "../../../src/channels/email/mime.ts";
import { nodeWorld } from "../../../src/node-world.ts";
import type { View } from "../../../src/view/index.ts";
import { energyBillPackage } from "../../support/email-package.ts";
import { emailView } from "../../support/email-view.ts";
import { makeProfile } from "../../view/fixtures.ts";

/**
 * RFC 5322 §3.6.4, without the obsolete forms: msg-id = [CFWS] "<" id-left "@" id-right ">" [CFWS], id-left =
 * dot-atom-text, id-right = dot-atom-text / no-fold-literal; atext and dtext as in §3.2.3 and §3.4.1.
 */
const ATEXT = "[A-Za-z0-9!#$%&'*+\\-/=?^_`{|}~]";
const DOT_ATOM_TEXT = `${ATEXT}+(?:\\.${ATEXT}+)*`;
const NO_FOLD_LITERAL = "\\[[\\x21-\\x5a\\x5e-\\x7e]*\\]";
const MSG_ID = new RegExp(`^<${DOT_ATOM_TEXT}@(?:${DOT_ATOM_TEXT}|${NO_FOLD_LITERAL})>$`);

let compiled: CompiledEmail;
beforeAll(async () => {
  const r = await emailChannel.compile(energyBillPackage(), nodeWorld());
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  compiled = r.value;
});

const QUIET: RenderContext = { warnings: { warn: () => {} } };

async function render(view: View): Promise<EmailOutput> {
  const r = await emailChannel.render(compiled, view, QUIET);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value;
}

/** The Message-ID header of a built message: unfolded, angle brackets kept. */
function messageId(eml: Uint8Array): string {
  const text = Buffer.from(eml).toString("utf8");
  const head = text.slice(0, text.indexOf("\r\n\r\n")).replace(/\r\n[ \t]+/g, " ");
  const id = /^Message-ID: (.*)$/im.exec(head)?.[1];
  if (!id) throw new Error("no Message-ID header");
  return id;
}

async function idOf(parts: MailParts): Promise<string> {
  const eml = await buildEml(parts);
  if (!eml.ok) throw new Error(JSON.stringify(eml.problems));
  return messageId(eml.value);
}

const PARTS: MailParts = {
  from: { name: "Northwind Energy", address: "statements@northwind-energy.example" },
  to: { name: "Chloé van der Berg", address: "vanderberg.1@example.com" },
  subject: "Your statement: £1,130.14 due by 22 November 2026",
  html: "<p>Balance due £1,130.14</p>",
  text: "Balance due £1,130.14",
  images: [{ cid: "usage@x.example", filename: "usage.png", contentType: "image/png", content: new Uint8Array([1]) }],
  messageId: { left: "2026-11-01", domain: "northwind-energy.example" },
  date: new Date("2026-11-01T06:00:00Z"),
};

describe("Message-ID", () => {
  it("is an RFC 5322 msg-id", async () => {
    const id = messageId((await render(emailView("en"))).eml);
    expect(id).toMatch(MSG_ID);
    expect(id).toMatch(/^<2026-11-01\.[0-9a-f]{32}@northwind-energy\.example>$/);
    // The grammar itself rejects what it should.
    for (const bad of ["<a b@x.example>", "<a@x..example>", "a@x.example", "<.a@x.example>", "<a@[x[y]>"])
      expect(bad).not.toMatch(MSG_ID);
  });

  it("keeps its ID, and its bytes, when the same email is composed again", async () => {
    const a = await render(emailView("en"));
    const b = await render(emailView("en"));
    expect(messageId(a.eml)).toBe(messageId(b.eml));
    expect(Buffer.from(a.eml).equals(Buffer.from(b.eml))).toBe(true);
  });

  it("gives a corrected re-issue for the same customer, template and run date a new ID", async () => {
    const original = makeProfile();
    const corrected = makeProfile({ account: { ...original.account, balanceDue: 113.01 } });
    const first = await render(emailView("en", { account: original.account }));
    const reissue = await render(emailView("en", { account: corrected.account }));
    expect(reissue.subject).not.toBe(first.subject);
    expect(messageId(reissue.eml)).not.toBe(messageId(first.eml));
  });

  it("changes with any part of the content: subject, HTML, text or an attachment", async () => {
    const base = await idOf(PARTS);
    expect(await idOf({ ...PARTS })).toBe(base);
    const changes: Partial<MailParts>[] = [
      { subject: `${PARTS.subject}.` },
      { html: "<p>Balance due £113.01</p>" },
      { text: "Balance due £113.01" },
      { images: [{ ...PARTS.images[0], content: new Uint8Array([2]) }] },
      { images: [] },
      { to: { ...PARTS.to, address: "chloe@example.com" } },
    ];
    const ids = await Promise.all(changes.map((change) => idOf({ ...PARTS, ...change })));
    for (const id of ids) expect(id).toMatch(MSG_ID);
    expect(new Set([base, ...ids]).size).toBe(changes.length + 1);
  });
});
