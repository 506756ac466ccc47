import { join } from "node:path";
import { workerData } from "piscina";
import { compose } from "../compose.ts";
import { ProblemError, problem, sha256Hex } from "../core/index.ts";
import { type Engine, buildEngine } from "../engine.ts";
import { nodeWorld } from "../node-world.ts";
import type { Profile } from "../profile/index.ts";
import { offersOf } from "./decision.ts";
import { writeAtomic } from "./files.ts";
import { SMS } from "./journal.ts";
import { type PrintBatch, writePrintBatch } from "./print.ts";
import { channelOf, entryProblem } from "./problems.ts";
import type { ComposeResult, ComposeTask, FileEntry, WorkerSettings } from "./types.ts";

/**
 * A pool worker: builds its Engine once, then composes one customer per task, writes the documents
 * atomically and hands back what the manifest needs. The SMS goes back as a line for the journal to append.
 */
const settings = workerData as WorkerSettings;
let engine: Promise<Engine> | undefined;

function engineOnce(): Promise<Engine> {
  engine ??= buildEngine(nodeWorld(settings.root), settings.engine).then((r) => {
    if (!r.ok) throw new ProblemError(r.problems);
    return r.value;
  });
  return engine;
}

export default async function composeRecord(task: ComposeTask): Promise<ComposeResult> {
  const built = await engineOnce();
  const started = performance.now();
  const profile = task.profile as Profile;
  const done = (r: Omit<ComposeResult, "record" | "renderMs">): ComposeResult => ({
    record: task.record,
    ...r,
    renderMs: Math.round(performance.now() - started),
  });
  let composed: Awaited<ReturnType<typeof compose>>;
  try {
    composed = await compose(built, profile, {
      template: settings.template,
      channels: task.channels,
      runDate: settings.runDate,
      capped: new Set(task.capped),
    });
  } catch (err) {
    const reason = `composing ${profile.id} threw: ${(err as Error).message}`;
    const failed = entryProblem(problem("OMD_BATCH_COMPOSE_FAILED", reason));
    return done({ ok: false, channels: [], files: [], pages: 0, problems: [failed] });
  }
  if (!composed.ok)
    return done({
      ok: false,
      channels: [],
      files: [],
      pages: 0,
      problems: composed.problems.map((p) => entryProblem(p)),
    });
  const c = composed.value;
  const offers = offersOf(c.decision);
  if (offers.join() !== task.offers.join())
    throw new Error(`record ${task.record}: the worker decided ${offers} where the run decided ${task.offers}`);

  const files: FileEntry[] = [];
  const write = (path: string, data: Uint8Array | string) => {
    const bytes = typeof data === "string" ? Buffer.from(data) : data;
    writeAtomic(join(settings.outDir, path), bytes);
    files.push({ path, bytes: bytes.byteLength, sha256: sha256Hex(bytes) });
  };
  if (c.pdf) write(`pdf/${profile.id}.pdf`, c.pdf.bytes);
  if (c.email) {
    write(`email/${profile.id}.eml`, c.email.eml);
    write(`email/${profile.id}.html`, c.email.html);
  }
  let smsLine: string | undefined;
  if (c.sms) {
    smsLine = `${JSON.stringify({ id: profile.id, line: task.line, ...c.sms })}\n`;
    files.push({ path: SMS, bytes: Buffer.byteLength(smsLine), sha256: sha256Hex(smsLine) });
  }
  const channels = task.channels.filter((ch) => c[ch] !== undefined);
  const missing = task.channels.filter((ch) => c[ch] === undefined);
  const problems = c.problems.map((p) => entryProblem(p, channelOf(p, missing)));
  return done({ ok: channels.length > 0, channels, files, pages: c.pdf?.pages ?? 0, smsLine, problems });
}

/** A print batch merged by a worker: the statements are on disk, the run date dates the file. */
export async function printBatch(batch: PrintBatch): Promise<number> {
  return writePrintBatch(settings.outDir, batch, settings.runDate);
}
