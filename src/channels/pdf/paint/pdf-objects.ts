/**
 * A value in PDF syntax, byte for byte as pdfkit (0.20.2) writes it in `PDFObject.convert` (without
 * encryption, which statements never use). pdfkit's version tests each value's class through a chain of
 * `instanceof` and `{}.toString.call`, builds each dictionary as an array of lines, and sends every text
 * string through a byte array and back; a statement writes ~300 objects (a structure element a paragraph,
 * cell and figure, their marked-content references), so that was ~5% of its CPU and ~200 kB of garbage.
 * Objects of pdfkit's own classes (references, name and number trees, spot colours) write themselves, as
 * pdfkit has them do.
 */
export function pdfObject(value: unknown): string {
  switch (typeof value) {
    case "string":
      return `/${value}`;
    case "number":
      return pdfNumber(value);
    case "object":
      break;
    default:
      return `${value}`;
  }
  if (value === null) return "null";
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += " ";
      const item = value[i];
      out += item === undefined ? "null" : pdfObject(item);
    }
    return `${out}]`;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return dictionary(value as Record<string, unknown>);
  if (value instanceof String) return textString(value.valueOf());
  if (value instanceof Uint8Array)
    return `<${Buffer.from(value.buffer, value.byteOffset, value.length).toString("hex")}>`;
  if (value instanceof Date) return `(${dateString(value)})`;
  // pdfkit's references, trees and spot colours define their own form; any other object is a dictionary to it.
  if (typeof proto.toString === "function" && proto.toString !== Object.prototype.toString)
    return (value as { toString(): string }).toString();
  return dictionary(value as Record<string, unknown>);
}

/** A value already in PDF syntax (made once and kept, or built faster than its parts), written as it is. */
export class PdfSyntax {
  constructor(private readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

function dictionary(entries: Record<string, unknown>): string {
  let out = "<<";
  for (const key in entries) {
    const entry = entries[key];
    if (entry === undefined) continue;
    out += `\n/${key} ${pdfObject(entry)}`;
  }
  return `${out}\n>>`;
}

/** pdfkit's numbers: rounded to six decimals, written as JavaScript writes them. */
function pdfNumber(n: number): string {
  if (n > -1e21 && n < 1e21) return `${Math.round(n * 1e6) / 1e6}`;
  throw new Error(`unsupported number: ${n}`);
}

const ESCAPED = /[\n\r\t\b\f()\\]/g;
const ESCAPES: Record<string, string> = {
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\b": "\\b",
  "\f": "\\f",
  "\\": "\\\\",
  "(": "\\(",
  ")": "\\)",
};

/**
 * A text string: its characters as bytes when all are ASCII (pdfkit keeps the low byte of each), else
 * UTF-16BE after a byte order mark; then the string's delimiters, backslash and control characters escaped.
 */
function textString(text: string): string {
  let bytes = text;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) {
      bytes = "\xfe\xff";
      for (let j = 0; j < text.length; j++) {
        const unit = text.charCodeAt(j);
        bytes += String.fromCharCode(unit >> 8, unit & 0xff);
      }
      break;
    }
  }
  return `(${bytes.replace(ESCAPED, (c) => ESCAPES[c])})`;
}

const pad = (n: number, digits: number) => `${n}`.padStart(digits, "0").slice(-digits);

function dateString(d: Date): string {
  return (
    `D:${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}` +
    `${pad(d.getUTCHours(), 2)}${pad(d.getUTCMinutes(), 2)}${pad(d.getUTCSeconds(), 2)}Z`
  );
}
