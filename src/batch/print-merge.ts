import type { StatementPdf } from "./print-source.ts";

/**
 * Writes a print file from statements read by `StatementPdf`, as a byte copy: each statement's pages and what
 * they refer to (contents, resources, fonts, annotations), their dictionaries with references renumbered and
 * stream data copied as stored; then the file's own page tree, catalog, Info and cross-reference table. What
 * pdf-lib's page copy kept is what is kept: not the statement's structure tree, metadata or outline, which no
 * page refers to (a page's /StructParents stays, a number).
 */

/** Object numbers of the file's own objects; the statements' objects follow. */
const PAGES = 1;
const CATALOG = 2;
const INFO = 3;

/** The title, producer and dates the print file's Info gives, as pdf-lib's merge wrote them. */
export interface PrintInfo {
  title: string;
  producer: string;
  date: Date;
}

export class PrintFile {
  private buf: Buffer;
  private length = 0;
  /** Where each object starts, by its number. */
  private readonly offsets: number[] = [0, 0, 0, 0];
  private readonly pages: number[] = [];

  constructor(capacity: number) {
    this.buf = Buffer.allocUnsafe(capacity + 4096);
    // The binary comment tells a transfer program the file is binary, as pdf-lib's header did.
    this.text("%PDF-1.7\n%\x81\x81\x81\x81\n\n");
  }

  get pageCount(): number {
    return this.pages.length;
  }

  /** Copies the statement's pages after those already in the file; returns how many it has. */
  add(statement: StatementPdf): number {
    const { bytes } = statement.syntax;
    const renumbered = new Int32Array(statement.size);
    const queue: number[] = [];
    const first = this.offsets.length;
    const number = (n: number) => {
      if (renumbered[n] === 0) {
        renumbered[n] = first + queue.length;
        queue.push(n);
      }
      return renumbered[n]!;
    };
    for (const page of statement.pages) this.pages.push(number(page));
    for (let i = 0; i < queue.length; i++) {
      const n = queue[i]!;
      const object = statement.object(n);
      this.offsets[first + i] = this.length;
      this.text(`${first + i} 0 obj\n`);
      // A page's /Parent is the print file's page tree: the statement's own tree is not copied.
      const parent = statement.pages.includes(n) ? object.keys.get("/Parent") : undefined;
      let from = object.start;
      const { refs } = object;
      for (let r = 0; r < refs.length; r += 4) {
        this.bytes(bytes, from, refs[r]!);
        const target = refs[r] === parent?.[0] ? PAGES : number(refs[r + 2]!);
        this.text(`${target} 0 R`);
        from = refs[r + 1]!;
      }
      this.bytes(bytes, from, object.end);
      if (object.stream) {
        this.text("\nstream\n");
        this.bytes(bytes, object.stream[0], object.stream[1]);
        this.text("\nendstream");
      }
      this.text("\nendobj\n");
    }
    return statement.pages.length;
  }

  /** The file's page tree, catalog, Info, cross-reference table and trailer: the file's last bytes. */
  finish(info: PrintInfo): Buffer {
    const date = `D:${info.date.toISOString().slice(0, 19).replace(/[-:T]/g, "")}Z`;
    const kids = this.pages.map((p) => `${p} 0 R`).join(" ");
    this.object(PAGES, `<<\n/Type /Pages\n/Kids [${kids}]\n/Count ${this.pages.length}\n>>`);
    this.object(CATALOG, `<<\n/Type /Catalog\n/Pages ${PAGES} 0 R\n>>`);
    this.object(
      INFO,
      `<<\n/Title ${utf16(info.title)}\n/Producer ${utf16(info.producer)}\n/CreationDate (${date})\n/ModDate (${date})\n>>`,
    );
    const xref = this.length;
    const entries = this.offsets.map((at, n) =>
      n === 0 ? "0000000000 65535 f \n" : `${String(at).padStart(10, "0")} 00000 n \n`,
    );
    this.text(`xref\n0 ${this.offsets.length}\n${entries.join("")}`);
    this.text(`trailer\n<<\n/Size ${this.offsets.length}\n/Root ${CATALOG} 0 R\n/Info ${INFO} 0 R\n>>\n`);
    this.text(`startxref\n${xref}\n%%EOF\n`);
    return this.buf.subarray(0, this.length);
  }

  private object(n: number, value: string): void {
    this.offsets[n] = this.length;
    this.text(`${n} 0 obj\n${value}\nendobj\n`);
  }

  private room(bytes: number): void {
    if (this.length + bytes <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + bytes));
    this.buf.copy(grown, 0, 0, this.length);
    this.buf = grown;
  }

  private text(s: string): void {
    this.room(s.length);
    this.length += this.buf.write(s, this.length, "latin1");
  }

  private bytes(from: Uint8Array, start: number, end: number): void {
    this.room(end - start);
    this.buf.set(from.subarray(start, end), this.length);
    this.length += end - start;
  }
}

/** A text string as UTF-16BE with its byte order mark, in hex (ISO 32000-1 §7.9.2.2), as pdf-lib writes one. */
function utf16(text: string): string {
  let hex = "<FEFF";
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).toUpperCase().padStart(4, "0");
  return `${hex}>`;
}
