/**
 * An archived email (the whole RFC 5322 message the customer was sent) read back for a person to look at: its
 * subject, its HTML with the images it carries inline as `data:` URLs (a `cid:` reference reaches nothing in a
 * browser), and its plain text. Only what omnidoc's own messages use is read: multipart bodies, base64,
 * quoted-printable, 7bit and 8bit, RFC 2047 encoded words in the subject.
 */
export interface EmailAsSent {
  subject: string;
  html?: string;
  text?: string;
}

interface Part {
  headers: Map<string, string>;
  /** The body as sent, one byte a character (latin1), before its transfer encoding is undone. */
  body: string;
}

export function readEmail(eml: Uint8Array): EmailAsSent {
  const message = splitPart(Buffer.from(eml.buffer, eml.byteOffset, eml.byteLength).toString("latin1"));
  const leaves = flatten(message);
  const html = leaves.find((p) => mediaType(p) === "text/html");
  const text = leaves.find((p) => mediaType(p) === "text/plain");
  const images = new Map<string, string>();
  for (const p of leaves) {
    const cid = /^<(.*)>$/.exec(p.headers.get("content-id") ?? "")?.[1];
    if (cid && mediaType(p).startsWith("image/"))
      images.set(cid, `data:${mediaType(p)};base64,${decodeBody(p).toString("base64")}`);
  }
  return {
    subject: decodeWords(message.headers.get("subject") ?? ""),
    ...(html && {
      html: textOf(html).replace(/(["'(])cid:([^"')\s]+)/g, (all, quote: string, cid: string) => {
        const data = images.get(decodeURIComponent(cid));
        return data ? `${quote}${data}` : all;
      }),
    }),
    ...(text && { text: textOf(text) }),
  };
}

function splitPart(raw: string): Part {
  const end = /\r?\n\r?\n/.exec(raw);
  const head = end ? raw.slice(0, end.index) : raw;
  const headers = new Map<string, string>();
  // A header line that starts with white space continues the one before (RFC 5322 §2.2.3).
  for (const line of head.split(/\r?\n(?![ \t])/)) {
    const colon = line.indexOf(":");
    if (colon > 0)
      headers.set(
        line.slice(0, colon).trim().toLowerCase(),
        line
          .slice(colon + 1)
          .replace(/\r?\n/g, "")
          .trim(),
      );
  }
  return { headers, body: end ? raw.slice(end.index + end[0].length) : "" };
}

/** The leaf parts of a message, depth first, in the order they were written. */
function flatten(part: Part): Part[] {
  const boundary = param(part.headers.get("content-type"), "boundary");
  if (!mediaType(part).startsWith("multipart/") || !boundary) return [part];
  const delimiter = `--${boundary}`;
  const sections = part.body.split(new RegExp(`\\r?\\n?${escapeRegExp(delimiter)}`));
  // Before the first delimiter is the preamble; from the closing one (`--boundary--`) on, the epilogue.
  const inside: Part[] = [];
  for (const section of sections.slice(1)) {
    if (section.startsWith("--")) break;
    inside.push(splitPart(section.replace(/^[ \t]*\r?\n/, "")));
  }
  return inside.flatMap(flatten);
}

function mediaType(part: Part): string {
  return (part.headers.get("content-type") ?? "text/plain").split(";")[0].trim().toLowerCase();
}

function param(header: string | undefined, name: string): string | undefined {
  const m = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, "i").exec(header ?? "");
  return m ? (m[1] ?? m[2]) : undefined;
}

function decodeBody(part: Part): Buffer {
  const encoding = (part.headers.get("content-transfer-encoding") ?? "7bit").toLowerCase();
  if (encoding === "base64") return Buffer.from(part.body.replace(/[^A-Za-z0-9+/=]/g, ""), "base64");
  if (encoding === "quoted-printable") return quotedPrintable(part.body);
  return Buffer.from(part.body, "latin1");
}

function textOf(part: Part): string {
  return charset(param(part.headers.get("content-type"), "charset")).decode(decodeBody(part));
}

function charset(label = "utf-8"): TextDecoder {
  try {
    return new TextDecoder(label);
  } catch {
    return new TextDecoder("utf-8");
  }
}

function quotedPrintable(body: string): Buffer {
  const bytes = body
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, "latin1");
}

/** RFC 2047: `=?charset?B|Q?text?=` words; white space between two encoded words is not part of the text. */
function decodeWords(header: string): string {
  return header
    .replace(/(\?=)\s+(=\?)/g, "$1$2")
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, label: string, kind: string, text: string) => {
      const bytes = kind.toUpperCase() === "B" ? Buffer.from(text, "base64") : quotedPrintable(text.replace(/_/g, " "));
      return charset(label).decode(bytes);
    });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
