import type MimeNode from "nodemailer/lib/mime-node";
import { encode as qpEncode, wrap as qpWrap } from "nodemailer/lib/qp";

/** RFC 2045 §6.7 and §6.8: encoded lines of at most 76 characters. */
const LINE = 76;

/** Base64 in lines of 76 characters, each but the last ending in CRLF: what nodemailer's base64 encoder writes. */
function base64Lines(bytes: Buffer): string {
  const b64 = bytes.toString("base64");
  if (b64.length <= LINE) return b64;
  const lines: string[] = [];
  for (let at = 0; at < b64.length; at += LINE) lines.push(b64.slice(at, at + LINE));
  return lines.join("\r\n");
}

function writeNode(node: MimeNode, out: string[]): void {
  // In the order nodemailer's own writer asks: the encoding first, then the headers that name it.
  const encoding = node.getTransferEncoding();
  out.push(node.buildHeaders(), "\r\n\r\n");
  const content = node.content;
  if (content) {
    const text = typeof content === "string";
    if (!text && !Buffer.isBuffer(content)) throw new Error("a part's content is neither text nor bytes");
    if (encoding === "base64") out.push(base64Lines(text ? Buffer.from(content) : content));
    else if (encoding === "quoted-printable" && text && node.contentType?.startsWith("text/"))
      out.push(qpWrap(qpEncode(content), LINE));
    else if (text && encoding !== "quoted-printable") out.push(content);
    else throw new Error(`a ${node.contentType} part cannot be written ${encoding}`);
  }
  if (!node.multipart) return;
  node.childNodes.forEach((child, i) => {
    out.push(`${i > 0 ? "\r\n" : ""}--${node.boundary}\r\n`);
    writeNode(child, out);
  });
  out.push(`\r\n--${node.boundary}--\r\n`);
}

/**
 * The bytes of a MIME tree, written in one synchronous pass. They are what nodemailer's `build()` writes
 * (its headers are its own `buildHeaders`, its bodies encoded by its functions in its line length), without a
 * stream, an encoder stream and a pipeline per part and a timer turn per step, which cost as much as the rest
 * of an email. Parts are text (quoted-printable, base64 or as it is) or bytes (base64): the parts an email has.
 */
export function mimeBytes(root: MimeNode): Buffer {
  const out: string[] = [];
  writeNode(root, out);
  const message = out.join("");
  // A message ends with a line break, as nodemailer's writer makes sure.
  const end = message.endsWith("\n") ? "" : message.endsWith("\r") ? "\n" : "\r\n";
  return Buffer.from(message + end, "utf8");
}
