import MailComposer from "nodemailer/lib/mail-composer";
import { describe, expect, it } from "vitest";
import { mimeBytes } from "../../../src/channels/email/mime-bytes.ts";

type Mail = ConstructorParameters<typeof MailComposer>[0];

const png = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 37) % 256));
const long = "word ".repeat(40);
const base: Mail = {
  from: { name: "Northwind Energy", address: "statements@northwind-energy.example" },
  to: { name: "Dr Chloé van der Berg", address: "vanderberg.1@example.com" },
  subject: "Votre relevé : 1\u202f130,14\u00a0€ à régler avant le 22 novembre 2026",
  messageId: "<2026-11-01.0123456789abcdef@northwind-energy.example>",
  date: new Date("2026-11-01T06:00:00Z"),
  baseBoundary: "0123456789abcdef01234567",
  textEncoding: "quoted-printable",
};

/** Messages of the shapes an email takes, and text parts of every encoding nodemailer chooses between. */
const mails: Record<string, Mail> = {
  "non-ASCII text, base64 HTML": {
    ...base,
    text: "Guten Tag Lukas Köhler,\r\nhier ist Ihre Abrechnung.\r\n",
    html: { content: Buffer.from("<p>Köhler</p>\r\n".repeat(200)), contentTransferEncoding: "base64" },
  },
  "ASCII text with short lines (7bit)": { ...base, text: "Dear Ann,\r\nyour statement.\r\n", html: "<p>x</p>" },
  "ASCII text with long lines": { ...base, text: `${long}\r\n${long}  \r\nend`, html: "<p>x</p>" },
  "text ending in whitespace, no line break": { ...base, text: "Grüße  ", html: "<p>x</p>" },
  "an image in multipart/related and list headers": {
    ...base,
    text: "Für Sie\r\n",
    html: { content: '<img src="cid:usage-1@northwind-energy.example">', contentTransferEncoding: "base64" },
    attachments: [
      {
        cid: "usage-1@northwind-energy.example",
        filename: "usage.png",
        contentType: "image/png",
        contentDisposition: "inline",
        content: png,
      },
    ],
    headers: {
      "List-Unsubscribe": "<https://www.northwind-energy.example/unsubscribe?t=bench.beQs6hh0maLzNju_vF8-0U>",
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
  },
  "text only": { ...base, text: "Only text\r\n" },
  "text only, without a line break at the end": { ...base, text: "No line break at the end" },
};

describe("a MIME message written in one pass", () => {
  for (const [name, mail] of Object.entries(mails))
    it(`is what nodemailer's build() writes: ${name}`, async () => {
      const streamed = await new MailComposer(mail).compile().build();
      expect(mimeBytes(new MailComposer(mail).compile()).toString("latin1")).toBe(streamed.toString("latin1"));
    });
});
