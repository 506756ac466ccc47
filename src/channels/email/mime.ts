import { type Result, fail, ok, problem, sha256Hex, sha256OfFields } from "../../core/index.ts";
import { mimeBytes } from "./mime-bytes.ts";
import { mimeTree } from "./mime-tree.ts";

export interface Mailbox {
  name: string;
  address: string;
}

/** An image the HTML shows by `cid:` reference, carried inside the message. */
export interface InlineImage {
  cid: string;
  filename: string;
  contentType: string;
  content: Uint8Array;
}

export interface MailParts {
  from: Mailbox;
  to: Mailbox;
  subject: string;
  html: string;
  text: string;
  images: InlineImage[];
  /**
   * What the Message-ID starts with (the run date) and its domain. The rest of the ID is a hash of the
   * content, so a corrected re-issue of an email never reuses the original's ID (see `messageIdOf`).
   */
  messageId: { left: string; domain: string };
  date: Date;
  /** Marketing mail: the one-click unsubscribe address (RFC 8058). */
  unsubscribe?: string;
}

/**
 * The Message-ID, without angle brackets: `2026-11-01.<hash>@northwind-energy.example`. The hash covers every
 * part a reader sees (sender, recipient, subject, HTML, text, images, unsubscribe address) and the date, so the
 * same message gets the same ID and any change of content a new one: Gmail drops a message whose ID it has
 * already delivered, so a corrected re-issue under the original's ID would never arrive.
 */
function messageIdOf(parts: MailParts, html: Uint8Array): string {
  const hash = sha256OfFields([
    parts.from.name,
    parts.from.address,
    parts.to.name,
    parts.to.address,
    parts.subject,
    html,
    parts.text,
    parts.unsubscribe ?? "",
    parts.date.toISOString(),
    ...parts.images.flatMap((i) => [i.cid, i.filename, i.contentType, i.content]),
  ]);
  return `${parts.messageId.left}.${hash.slice(0, 32)}@${parts.messageId.domain}`;
}

/** Bare LFs to CRLF. */
const crlf = (s: string) => s.replace(/\r?\n/g, "\r\n");

/**
 * Bare LFs to CRLF in UTF-8, where a 0x0A byte is never part of another character: cheaper than converting a
 * converted string again (the merged HTML has a few, from the subject and preheader partials' last lines).
 */
function crlfBytes(bytes: Buffer): Buffer {
  const bare: number[] = [];
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) if (bytes[i - 1] !== 13) bare.push(i);
  if (bare.length === 0) return bytes;
  const out = Buffer.allocUnsafe(bytes.length + bare.length);
  let from = 0;
  let to = 0;
  for (const lf of bare) {
    to += bytes.copy(out, to, from, lf);
    out[to++] = 13;
    from = lf;
  }
  bytes.copy(out, to, from);
  return out;
}

/**
 * The RFC 5322 message: multipart/alternative (text, then HTML with its images in multipart/related),
 * non-ASCII display names and subject RFC 2047-encoded by nodemailer. Deterministic: the MIME boundaries
 * come from the Message-ID, not from random bytes, so the same parts give the same bytes.
 */
export function buildEml(parts: MailParts): Result<Uint8Array> {
  // The HTML's UTF-8, made once for the Message-ID's hash and (lines ended in CRLF) the base64 part.
  const html = Buffer.from(parts.html);
  const messageId = messageIdOf(parts, html);
  try {
    const tree = mimeTree({
      from: parts.from,
      to: parts.to,
      subject: parts.subject,
      // RFC 5322 lines end in CRLF; a bare LF inside a part would reach the server as-is. The text part stays
      // quoted-printable (readable in the raw message); the HTML, ~20 KB of markup, goes base64: native
      // encoding, about half the time of quoted-printable's JavaScript encoder, and a smaller message.
      text: crlf(parts.text),
      html: crlfBytes(html),
      images: parts.images.map((i) => ({
        ...i,
        content: Buffer.from(i.content.buffer, i.content.byteOffset, i.content.byteLength),
      })),
      messageId: `<${messageId}>`,
      date: parts.date,
      baseBoundary: sha256Hex(messageId).slice(0, 24),
      ...(parts.unsubscribe
        ? {
            headers: {
              "List-Unsubscribe": `<${parts.unsubscribe}>`,
              "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
          }
        : {}),
    });
    const bytes = mimeBytes(tree);
    return ok(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    return fail(problem("OMD_EMAIL_MIME", `cannot build the message ${messageId}: ${(e as Error).message}`));
  }
}
