import MimeNode from "nodemailer/lib/mime-node";

/** A message's parts as `buildEml` hands them over: lines already ending in CRLF. */
export interface TreeParts {
  from: { name: string; address: string };
  to: { name: string; address: string };
  subject: string;
  /** Quoted-printable, as nodemailer chooses for it. */
  text: string;
  /** Base64. */
  html: Buffer;
  images: { cid: string; filename: string; contentType: string; content: Buffer }[];
  /** With its angle brackets. */
  messageId: string;
  date: Date;
  /** The boundaries' shared part. */
  baseBoundary: string;
  /** Header fields set before the addresses (the list headers), in their order. */
  headers?: Record<string, string>;
}

/** Header values as nodemailer takes them: addresses as objects, the date as a Date. */
type HeaderValue = Parameters<MimeNode["setHeader"]>[1];

/**
 * The MIME tree nodemailer's MailComposer builds for an email (multipart/alternative of the text and the HTML,
 * the HTML in multipart/related with its images when it has any), of nodemailer's own nodes, so that its header
 * rules and encoders write it. Built here because MailComposer gives every node but the root a boundary of
 * 8 random bytes that only the root's is used of (~55 µs of CPU an email), and reads options no email has.
 * `mime-tree.test.ts` holds it to MailComposer's bytes for every shape of email.
 */
export function mimeTree(parts: TreeParts): MimeNode {
  const { baseBoundary } = parts;
  const textEncoding = "quoted-printable";
  const root = new MimeNode("multipart/alternative", { baseBoundary, textEncoding });
  const child = (parent: MimeNode, contentType: string, options: MimeNode.Options = {}) =>
    parent.appendChild(new MimeNode(contentType, { ...options, baseBoundary }));
  const leaf = (
    parent: MimeNode,
    contentType: string,
    content: string | Buffer,
    headers: [string, string][],
    filename?: string,
  ) => {
    const node = child(parent, contentType, { ...(filename ? { filename } : {}), textEncoding });
    for (const [key, value] of headers) node.setHeader(key, value);
    node.setContent(content);
  };
  leaf(root, "text/plain; charset=utf-8", parts.text, []);
  const related = parts.images.length > 0 ? child(root, 'multipart/related; type="text/html"') : root;
  leaf(related, "text/html; charset=utf-8", parts.html, [["Content-Transfer-Encoding", "base64"]]);
  for (const image of parts.images)
    leaf(
      related,
      image.contentType,
      image.content,
      [
        ["Content-Id", `<${image.cid.replace(/[<>]/g, "")}>`],
        ["Content-Transfer-Encoding", "base64"],
        ["Content-Disposition", "inline"],
      ],
      image.filename,
    );
  if (parts.headers) root.addHeader(parts.headers);
  const fields: [string, unknown][] = [
    ["from", parts.from],
    ["to", parts.to],
    ["subject", parts.subject],
    ["message-id", parts.messageId],
    ["date", parts.date],
  ];
  for (const [key, value] of fields) if (value) root.setHeader(key, value as HeaderValue);
  return root;
}
