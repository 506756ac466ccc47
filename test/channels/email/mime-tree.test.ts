import MailComposer from "nodemailer/lib/mail-composer";
import { describe, expect, it } from "vitest";
import { mimeBytes } from "../../../src/channels/email/mime-bytes.ts";
import { mimeTree, type TreeParts } from "../../../src/channels/email/mime-tree.ts";

const png = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 37) % 256));
const html = Buffer.from("<p>Köhler</p>\r\n".repeat(200));
const base: TreeParts = {
  from: { name: "Northwind Energy", address: "statements@northwind-energy.example" },
  to: { name: "Dr Chloé van der Berg", address: "vanderberg.1@example.com" },
  subject: "Votre relevé : 1\u202f130,14\u00a0€ à régler avant le 22 novembre 2026",
  text: "Guten Tag Lukas Köhler,\r\nhier ist Ihre Abrechnung.\r\n",
  html,
  images: [],
  messageId: "<2026-11-01.0123456789abcdef@northwind-energy.example>",
  date: new Date("2026-11-01T06:00:00Z"),
  baseBoundary: "0123456789abcdef01234567",
};
const image = {
  cid: "usage-1@northwind-energy.example",
  filename: "usage.png",
  contentType: "image/png",
  content: png,
};
const list = {
  "List-Unsubscribe": "<https://www.northwind-energy.example/unsubscribe?t=bench.beQs6hh0maLzNju_vF8-0U>",
  "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
};

/** What MailComposer is given for the same parts: how omnidoc built its messages before. */
const composed = (p: TreeParts) =>
  new MailComposer({
    from: p.from,
    to: p.to,
    subject: p.subject,
    text: p.text,
    html: { content: p.html, contentTransferEncoding: "base64" },
    messageId: p.messageId,
    date: p.date,
    baseBoundary: p.baseBoundary,
    textEncoding: "quoted-printable",
    attachments: p.images.map((i) => ({ ...i, contentDisposition: "inline" as const })),
    ...(p.headers ? { headers: p.headers } : {}),
  });

/** Every shape an email takes: with and without its chart, marketing or not, names and subjects of any script. */
const shapes: Record<string, TreeParts> = {
  "text and HTML": base,
  "an image in multipart/related": { ...base, images: [image] },
  "an image and the list headers": { ...base, images: [image], headers: list },
  "the list headers, no image": { ...base, headers: list },
  "ASCII names, a long subject, two images": {
    ...base,
    to: { name: "Ann Lee", address: "ann@example.com" },
    subject: `Your statement: ${"a long subject ".repeat(8)}`,
    images: [image, { ...image, cid: "<usage-2@northwind-energy.example>", filename: "usage-2.png" }],
  },
  "a Cyrillic name, ASCII text": {
    ...base,
    to: { name: "Наталья Петрова", address: "customer.4@example.net" },
    text: "Dear customer,\r\nyour statement.\r\n",
  },
};

describe("the message tree built without MailComposer", () => {
  for (const [name, parts] of Object.entries(shapes))
    it(`is written as MailComposer's message is: ${name}`, async () => {
      const streamed = await composed(parts).compile().build();
      expect(mimeBytes(mimeTree(parts)).toString("latin1")).toBe(streamed.toString("latin1"));
    });
});
