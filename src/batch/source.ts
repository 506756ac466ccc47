import { parse as csvParser } from "csv-parse";
import { StringDecoder } from "node:string_decoder";
import type { Readable } from "node:stream";
import { ProblemError, type Result, problem, sha256Hex } from "../core/index.ts";
import {
  type CsvHeader,
  type Profile,
  compileCsvHeader,
  parseProfileCsvRow,
  parseProfileLine,
  recordId,
} from "../profile/index.ts";

/**
 * Input records, streamed: a record is read only when the run asks for the next one, so the stream pauses
 * (back-pressure) while the workers are busy and memory stays bounded whatever the size of the extract.
 */
export interface InputRecord {
  /** 1-based position in the input. */
  record: number;
  /** The line the record starts on. */
  line: number;
  /** Bytes of the input up to the end of this record: how far a run that has done it has come. */
  end: number;
  /** Parses and validates; only called for records the run has not done yet (resume skips cheaply). */
  read(): Result<Profile>;
  /** The record's id when it can be seen without validating, for reject reports. */
  id(): string | undefined;
  /** The record's fingerprint as the journal keeps it (`ManifestEntry.source`). */
  source(): string;
}

/** The first 64 bits of the SHA-256 of a record's text (an NDJSON line, a CSV row's cells). */
const fingerprint = (text: string) => sha256Hex(text).slice(0, 16);

export type InputFormat = "ndjson" | "csv";

export function formatOf(input: string, format?: InputFormat): InputFormat {
  return format ?? (/\.csv$/i.test(input) ? "csv" : "ndjson");
}

export function readRecords(input: Readable, format: InputFormat): AsyncGenerator<InputRecord> {
  return format === "csv" ? csvRecords(input) : ndjsonRecords(input);
}

/** One record a line. Every line is a record, an empty one included (it is rejected, not skipped). */
async function* ndjsonRecords(input: Readable): AsyncGenerator<InputRecord> {
  let n = 0;
  let end = 0;
  for await (const text of lines(input)) {
    const record = ++n;
    end += Buffer.byteLength(text) + 1;
    yield {
      record,
      line: record,
      end,
      read: () => parseProfileLine(text, record),
      id: () => recordId(text),
      source: () => fingerprint(text),
    };
  }
}

/** Lines of a byte stream, split by hand so nothing is read ahead of the consumer beyond one chunk. */
export async function* lines(input: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder("utf8");
  let rest = "";
  let first = true;
  for await (const chunk of input) {
    rest += typeof chunk === "string" ? chunk : decoder.write(chunk);
    if (first && rest.length > 0) {
      if (rest.charCodeAt(0) === 0xfeff) rest = rest.slice(1);
      first = false;
    }
    let start = 0;
    for (let nl = rest.indexOf("\n"); nl !== -1; nl = rest.indexOf("\n", start)) {
      yield withoutCr(rest.slice(start, nl));
      start = nl + 1;
    }
    rest = rest.slice(start);
  }
  rest += decoder.end();
  if (rest !== "") yield withoutCr(rest);
}

const withoutCr = (s: string) => (s.endsWith("\r") ? s.slice(0, -1) : s);

/**
 * One record a row after the header row. A row that breaks the CSV syntax itself (an unclosed quote) stops
 * the run with its line: what follows it cannot be trusted to be the rows the extract meant.
 */
async function* csvRecords(input: Readable): AsyncGenerator<InputRecord> {
  const parser = input.pipe(csvParser({ bom: true, relax_column_count: true, info: true, skip_empty_lines: false }));
  input.once("error", (e) => parser.destroy(e));
  let header: CsvHeader | undefined;
  let idAt = -1;
  let n = 0;
  try {
    for await (const row of parser as AsyncIterable<{ record: string[]; info: { lines: number; bytes: number } }>) {
      if (header === undefined) {
        const compiled = compileCsvHeader(row.record);
        if (!compiled.ok) throw new ProblemError(compiled.problems);
        header = compiled.value;
        idAt = row.record.findIndex((name) => name.trim() === "id");
        continue;
      }
      const h = header;
      const cells = row.record;
      const record = ++n;
      const line = row.info.lines;
      yield {
        record,
        line,
        end: row.info.bytes,
        read: () => parseProfileCsvRow(h, cells, line),
        id: () => cells[idAt] || undefined,
        source: () => fingerprint(JSON.stringify(cells)),
      };
    }
  } catch (err) {
    if (err instanceof ProblemError || !(err instanceof Error) || !("code" in err)) throw err;
    const at = "lines" in err ? `line ${String(err.lines)}` : undefined;
    throw new ProblemError([problem("OMD_INPUT_CSV", `the CSV extract cannot be read: ${err.message}`, at)]);
  }
}
