import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";

/** A PDF's objects as qpdf reads them (`qpdf --json`, version 2): a reader nobody on the project wrote. */

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
type JsonDict = Record<string, JsonValue>;

export interface PdfStream {
  ref: string;
  dict: JsonDict;
  /** The stream's bytes: as stored, or decoded when `decoded` was asked for. */
  data: Buffer;
}

interface QpdfObject {
  value?: JsonValue;
  stream?: { dict: JsonDict; data?: string };
}

export interface PdfObjects {
  values: Map<string, JsonValue>;
  streams: Map<string, PdfStream>;
}

/** Every object of `file`; stream bytes as stored, or decoded by qpdf (`decoded`). */
export function pdfObjects(file: string, decoded = false): PdfObjects {
  const json = execFileSync(
    "qpdf",
    [
      "--json=2",
      "--json-key=qpdf",
      "--json-stream-data=inline",
      `--decode-level=${decoded ? "generalized" : "none"}`,
      file,
    ],
    { maxBuffer: 1 << 30, encoding: "utf8" },
  );
  const [, objects] = JSON.parse(json).qpdf as [unknown, Record<string, QpdfObject>];
  const values = new Map<string, JsonValue>();
  const streams = new Map<string, PdfStream>();
  for (const [key, o] of Object.entries(objects)) {
    const ref = key.replace(/^obj:/, "");
    if (o.stream) streams.set(ref, { ref, dict: o.stream.dict, data: Buffer.from(o.stream.data ?? "", "base64") });
    else if (o.value !== undefined) values.set(ref, o.value);
  }
  return { values, streams };
}

export interface EmbeddedProgram {
  /** The font's BaseFont, `ABCDEF+DejaVuSans` for a subset. */
  name: string;
  /** sha256 of the decoded font program (FontFile2). */
  program: string;
}

/** Every Type0 font of `file` with its name and the hash of its decoded font program. */
export function embeddedPrograms(file: string): EmbeddedProgram[] {
  const { values, streams } = pdfObjects(file, true);
  const dict = (ref: JsonValue) => values.get(String(ref)) as JsonDict;
  const fonts: EmbeddedProgram[] = [];
  for (const value of values.values()) {
    const font = value as JsonDict;
    if (typeof font !== "object" || font === null || font["/Subtype"] !== "/Type0") continue;
    const [descendant] = font["/DescendantFonts"] as string[];
    const descriptor = dict(dict(descendant)["/FontDescriptor"]);
    const program = streams.get(String(descriptor["/FontFile2"]));
    if (!program) throw new Error(`${file}: font ${font["/BaseFont"]} embeds no FontFile2`);
    fonts.push({
      name: String(font["/BaseFont"]).slice(1),
      program: createHash("sha256").update(program.data).digest("hex"),
    });
  }
  return fonts;
}
