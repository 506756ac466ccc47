import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Composition } from "../compose.ts";

export interface OutputFile {
  name: string;
  bytes: Uint8Array | string;
}

/** The files of one composition, named `<id>.<kind>`, in a fixed order. */
export function compositionFiles(id: string, c: Composition): OutputFile[] {
  const files: OutputFile[] = [];
  if (c.pdf) files.push({ name: `${id}.pdf`, bytes: c.pdf.bytes });
  if (c.email) {
    files.push({ name: `${id}.html`, bytes: c.email.html });
    files.push({ name: `${id}.txt`, bytes: c.email.text });
    files.push({ name: `${id}.eml`, bytes: c.email.eml });
  }
  if (c.sms) files.push({ name: `${id}.sms.json`, bytes: `${JSON.stringify(c.sms, null, 2)}\n` });
  files.push({ name: `${id}.decision.json`, bytes: `${JSON.stringify(c.decision, null, 2)}\n` });
  return files;
}

/** Writes each file atomically (temporary name, then rename), so a reader never sees half a document. */
export function writeFiles(dir: string, files: OutputFile[]): string[] {
  mkdirSync(dir, { recursive: true });
  return files.map((f) => {
    const path = join(dir, f.name);
    writeFileSync(`${path}.tmp`, f.bytes);
    renameSync(`${path}.tmp`, path);
    return path;
  });
}
