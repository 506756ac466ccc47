import { join } from "node:path";
import { workerData } from "piscina";
import { type Composition, compose, offersShown } from "../compose.ts";
import type { Archive, DocumentInput } from "../archive/index.ts";
import { type Problem, ProblemError, createRenderCaches, problem, sha256Hex } from "../core/index.ts";
import { type Engine, buildEngine } from "../engine.ts";
import { nodeWorld } from "../node-world.ts";
import type { Profile } from "../profile/index.ts";
import { decisionOfRecord } from "./decision-of-record.ts";
import { diskFullOf, writeCreateOnly, writeDocument } from "./files.ts";
import { SMS } from "./journal.ts";
import { oneAtATime } from "./one-at-a-time.ts";
import { channelOf, entryProblem } from "./problems.ts";
import type { ComposeResult, ComposeTask, EngineStart, FileEntry, WorkerSettings } from "./types.ts";

/**
 * A pool worker: builds its Engine once, then composes one customer per task, writes the documents
 * atomically and hands back what the manifest needs. The SMS goes back as a line for the journal to append.
 */
const settings = workerData as WorkerSettings;
/** This thread's render caches (fonts, shaped words, subsets, chart canvases), one for the thread's life. */
const caches = createRenderCaches();
let engine: Promise<Engine> | undefined;

function engineOnce(): Promise<Engine> {
  engine ??= buildEngine(nodeWorld(settings.root), { ...settings.engine, caches }).then((r) => {
    if (!r.ok) throw new ProblemError(r.problems);
    return r.value;
  });
  return engine;
}

let archive: Promise<Archive> | undefined;

/**
 * The worker's own archive connection, opened on first use (the main thread has migrated the schema); a run
 * that archives nothing never loads the archive's code.
 */
function archiveOnce(url: string): Promise<Archive> {
  archive ??= import("../archive/index.ts").then(async ({ openArchive }) => {
    const r = await openArchive(url);
    if (!r.ok) throw new ProblemError(r.problems);
    return r.value;
  });
  return archive;
}

const CONTENT_TYPE = { pdf: "application/pdf", email: "message/rfc822", sms: "application/json" } as const;

/**
 * The pool hands a thread its next customer while it composes one, so that it never waits for the main thread
 * between customers; tasks run in turn, so no two compositions share the thread's caches at once.
 */
const inTurn = oneAtATime();

export default function composeThreadTask(task: ComposeTask | EngineStart): Promise<ComposeResult | Problem[]> {
  return inTurn((): Promise<ComposeResult | Problem[]> => ("start" in task ? startEngine() : composeRecord(task)));
}

/** Builds the thread's engine, every channel compiled: a template's problems come back as values, file and line. */
async function startEngine(): Promise<Problem[]> {
  try {
    await engineOnce();
    return [];
  } catch (err) {
    if (err instanceof ProblemError) return err.problems;
    throw err;
  }
}

async function composeRecord(task: ComposeTask): Promise<ComposeResult> {
  const built = await engineOnce();
  const profile = task.profile as Profile;
  const done = (r: Omit<ComposeResult, "record">): ComposeResult => ({ record: task.record, ...r });
  let composed: Awaited<ReturnType<typeof compose>>;
  try {
    composed = await compose(built, profile, {
      template: settings.template,
      channels: task.channels,
      runDate: settings.runDate,
      decision: task.decision,
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

  let written: Written;
  try {
    written = writeDocuments(profile, task.line, c);
  } catch (err) {
    // A full disk stops the run; it crosses back to the main thread as a value (an error loses its class).
    const stop = diskFullOf(err);
    if (stop) return done({ ok: false, channels: [], files: [], pages: 0, problems: [], stop });
    throw err;
  }
  const { files, documents, smsLine } = written;
  if (settings.archive && documents.length > 0) await archiveDocuments(built, profile, c, documents);
  const channels = task.channels.filter((ch) => c[ch] !== undefined);
  const missing = task.channels.filter((ch) => c[ch] === undefined);
  const problems = c.problems.map((p) => entryProblem(p, channelOf(p, missing)));
  return done({ ok: channels.length > 0, channels, files, pages: c.pdf?.pages ?? 0, smsLine, problems });
}

interface Written {
  files: FileEntry[];
  /** What the archive keeps of each channel: the PDF, the whole MIME message, the SMS as JSON. */
  documents: { channel: keyof typeof CONTENT_TYPE; bytes: Uint8Array }[];
  smsLine?: string;
}

/** Writes one customer's documents atomically; the SMS becomes a line for the journal to append. */
function writeDocuments(profile: Profile, line: number, c: Composition): Written {
  const out: Written = { files: [], documents: [] };
  const write = (path: string, data: Uint8Array | string) => {
    const bytes = typeof data === "string" ? Buffer.from(data) : data;
    if (!settings.createOnly) writeDocument(join(settings.outDir, path), bytes);
    else if (writeCreateOnly(settings.outDir, path, bytes) === "differs")
      throw new Error(`${path} exists with other bytes than composing ${profile.id} again gave`);
    out.files.push({ path, bytes: bytes.byteLength, sha256: sha256Hex(bytes) });
  };
  if (c.pdf) {
    write(`pdf/${profile.id}.pdf`, c.pdf.bytes);
    out.documents.push({ channel: "pdf", bytes: c.pdf.bytes });
  }
  if (c.email) {
    write(`email/${profile.id}.eml`, c.email.eml);
    write(`email/${profile.id}.html`, c.email.html);
    out.documents.push({ channel: "email", bytes: c.email.eml });
  }
  if (c.sms) {
    const smsLine = `${JSON.stringify({ id: profile.id, line, ...c.sms })}\n`;
    out.files.push({ path: SMS, bytes: Buffer.byteLength(smsLine), sha256: sha256Hex(smsLine) });
    // The SMS as the archive keeps it, made only for a run that archives.
    if (settings.archive) out.documents.push({ channel: "sms", bytes: Buffer.from(JSON.stringify(c.sms)) });
    out.smsLine = smsLine;
  }
  return out;
}

/**
 * Records the documents, each with the items it shows, and the decision of record in one transaction, before
 * the journal has the record: a crash in between archives them again on resume, and recording the same run,
 * customer and channel (or template, for the decision) again replaces rather than adds.
 */
async function archiveDocuments(engine: Engine, profile: Profile, c: Composition, documents: Written["documents"]) {
  const { url, runId, release } = settings.archive!;
  const decision = decisionOfRecord(engine, c, {
    runId,
    template: settings.template,
    created: settings.runDate,
    channels: documents.map((d) => d.channel),
  });
  const inputs: DocumentInput[] = documents.map((d) => ({
    customerId: profile.id,
    template: settings.template,
    templateVersion: decision.templateVersion,
    channel: d.channel,
    runId,
    created: settings.runDate,
    offerIds: offersShown(c, d.channel),
    contentType: CONTENT_TYPE[d.channel],
    bytes: d.bytes,
    profile,
    release,
  }));
  await (await archiveOnce(url)).recordMany(inputs, [], [decision]);
}
