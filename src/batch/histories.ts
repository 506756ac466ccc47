import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Archive } from "../archive/index.ts";
import { ProblemError, problem } from "../core/index.ts";
import { type CustomerHistory, NO_HISTORY } from "../decide/index.ts";
import { PARTIAL_DIR, writeCreateOnly, writing } from "./files.ts";
import type { InputRecord } from "./source.ts";

/** Where a run keeps the histories its decisions read: one file per chunk of records, written once. */
export const HISTORY_DIR = "history";

/** Records whose customers' histories are read in one call: ~500 keeps a call's cost per customer low. */
export const HISTORY_CHUNK = 500;

/** What reads histories in bulk: the archive. */
export type HistorySource = Pick<Archive, "histories">;

export interface HistoryOptions {
  /** The run's folder. */
  out: string;
  /** The run's id: its own decisions of record (an earlier attempt's) are not history. */
  runId: string;
  runDate: string;
  /** Without a source every record gets NO_HISTORY, and nothing is read ahead. */
  source?: HistorySource;
  /** Whether the run decides the record this session; a chunk with none is neither read nor written. */
  decides?: (rec: InputRecord) => boolean;
  chunk?: number;
  /** Filled in as the run goes: what reading histories cost it. */
  stats?: HistoryStats;
}

/** What reading histories cost a run: reads made, their time, and the time the decide loop waited for one. */
export interface HistoryStats {
  reads: number;
  readMs: number;
  waitMs: number;
}

/**
 * Each record of a run with its customer's history, in input order. Histories are read a chunk of records at a
 * time (up to the run date, leaving out the run's own decisions of record), the next chunk's read started while the current chunk is decided, so the in-order
 * decide loop seldom waits. Which history a record gets never depends on timing: each chunk's histories are
 * written create-only to `history/NNNNNN.ndjson` the first time they are read, and every later attempt of the run
 * (a resume, a re-attached coordinator) reads that file instead of the archive, so a record is decided on the
 * same history however often and whenever it is decided, even if the archive learned something since.
 */
export async function* withHistories(
  records: AsyncIterable<InputRecord>,
  options: HistoryOptions,
): AsyncGenerator<{ rec: InputRecord; history: CustomerHistory }> {
  const { source } = options;
  if (!source) {
    for await (const rec of records) yield { rec, history: NO_HISTORY };
    return;
  }
  const size = options.chunk ?? HISTORY_CHUNK;
  writing(options.out, () => {
    mkdirSync(join(options.out, HISTORY_DIR), { recursive: true });
    mkdirSync(join(options.out, PARTIAL_DIR), { recursive: true });
  });
  const it = records[Symbol.asyncIterator]();
  const take = async (): Promise<InputRecord[]> => {
    const chunk: InputRecord[] = [];
    while (chunk.length < size) {
      const next = await it.next();
      if (next.done) break;
      chunk.push(next.value);
    }
    return chunk;
  };
  const read = (chunk: InputRecord[]) => chunkHistories(chunk, size, options, source);
  let current = await take();
  let histories = read(current);
  // A rejection is awaited in its turn; until then it must not count as unhandled.
  histories.catch(() => {});
  try {
    while (current.length > 0) {
      const next = await take();
      const nextHistories = read(next);
      nextHistories.catch(() => {});
      const waiting = performance.now();
      const byId = await histories;
      if (options.stats) options.stats.waitMs += performance.now() - waiting;
      for (const rec of current) yield { rec, history: byId.get(rec.id() ?? "") ?? NO_HISTORY };
      current = next;
      histories = nextHistories;
    }
  } finally {
    await it.return?.();
  }
}

/** The histories of one chunk: from its file when an earlier attempt wrote it, else from the source, then kept. */
async function chunkHistories(
  chunk: InputRecord[],
  size: number,
  options: HistoryOptions,
  source: HistorySource,
): Promise<Map<string, CustomerHistory>> {
  if (chunk.length === 0 || (options.decides && !chunk.some(options.decides))) return new Map();
  const number = Math.ceil(chunk[0].record / size);
  const path = join(HISTORY_DIR, `${String(number).padStart(6, "0")}.ndjson`);
  const file = join(options.out, path);
  if (existsSync(file)) return parseChunk(readFileSync(file, "utf8"));
  const ids = [...new Set(chunk.map((rec) => rec.id()).filter((id): id is string => id !== undefined))];
  const started = performance.now();
  const read = await source.histories(ids, options.runDate, { exceptRun: options.runId });
  if (options.stats) {
    options.stats.reads++;
    options.stats.readMs += performance.now() - started;
  }
  // Only customers with something to remember take a line: most have none.
  const lines = ids
    .filter((id) => !isEmpty(read.get(id)))
    .map((id) => `${JSON.stringify({ id, history: read.get(id) })}\n`)
    .join("");
  // Another attempt got there first (a coordinator re-attached while this one still ran): its file stands.
  if (writeCreateOnly(options.out, path, lines) === "differs") return parseChunk(readFileSync(file, "utf8"));
  return parseChunk(lines);
}

function parseChunk(text: string): Map<string, CustomerHistory> {
  const byId = new Map<string, CustomerHistory>();
  for (const [n, line] of text.split("\n").entries()) {
    if (line === "") continue;
    try {
      const { id, history } = JSON.parse(line) as { id: string; history: CustomerHistory };
      byId.set(id, history);
    } catch {
      throw new ProblemError([
        problem(
          "OMD_BATCH_JOURNAL",
          `line ${n + 1} of a history file of the run does not read as JSON`,
          undefined,
          "the run folder was changed: start the run again in a new folder",
        ),
      ]);
    }
  }
  return byId;
}

function isEmpty(h: CustomerHistory | undefined): boolean {
  return (
    h === undefined ||
    (h.interactions.length === 0 && h.responses.length === 0 && h.offers.length === 0 && h.optOuts.length === 0)
  );
}
