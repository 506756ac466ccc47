import { setPriority } from "node:os";
import { parentPort, threadId, workerData } from "node:worker_threads";
import { type Composition, compose, offersShown } from "../compose.ts";
import { ProblemError, createRenderCaches } from "../core/index.ts";
import { readProposal } from "../releases/proposal.ts";
import { type Engine, buildEngine } from "../engine.ts";
import { decisionOfRecord } from "../batch/decision-of-record.ts";
import { nodeWorld } from "../node-world.ts";
import { warmUp } from "./warm-up.ts";
import type { ComposedDocument, ComposedReply } from "../realtime/index.ts";
import type {
  CatalogueInfo,
  DecideReply,
  EmailFormat,
  ProposalReply,
  RenderReply,
  TemplateInfo,
  WarmedMessage,
  WorkerConfig,
  WorkerTask,
} from "./worker-protocol.ts";

/**
 * One render worker: builds its Engine and warms it once when the thread starts, then composes one request at
 * a time.
 */
const config = workerData as WorkerConfig;

// On Linux a nice value belongs to a thread, so this lowers only this worker (see PoolOptions.niceness).
if (config.niceness)
  try {
    setPriority(0, config.niceness);
  } catch {
    // Not permitted here: the worker runs at normal priority.
  }
/** This thread's render caches (fonts, shaped words, subsets, chart canvases), one for the thread's life. */
const caches = createRenderCaches();
const built = await buildEngine(nodeWorld(config.root), { ...config.engine, caches });
if (!built.ok) throw new ProblemError(built.problems);
const engine: Engine = built.value;
// Warm before the pool hands this thread work, and say so: the server counts only warm workers as ready.
await warmUp(engine);
parentPort?.postMessage({ warmed: threadId } satisfies WarmedMessage);

const encoder = new TextEncoder();

export default async function run(
  task: WorkerTask,
): Promise<TemplateInfo[] | CatalogueInfo | RenderReply | DecideReply | ComposedReply | ProposalReply> {
  switch (task.kind) {
    case "catalogue":
      return {
        offerIds: engine.catalogue.items.map((i) => i.id),
        triggers: [...engine.catalogue.triggers],
        timeZone: engine.catalogue.timeZone,
      };
    case "templates":
      return [...engine.templates.values()].map(({ pkg: { manifest: m } }) => ({
        id: m.id,
        version: m.version,
        name: m.name,
        ...(m.description !== undefined && { description: m.description }),
        languages: [...m.languages],
        channels: Object.keys(m.channels) as TemplateInfo["channels"],
      }));
    case "decide": {
      const r = await compose(engine, task.profile, {
        template: task.template,
        channels: [],
        runDate: task.runDate,
        history: task.history,
      });
      return r.ok ? { ok: true, decision: r.value.decision } : r;
    }
    case "render": {
      const r = await compose(engine, task.profile, {
        template: task.template,
        channels: [task.channel],
        runDate: task.runDate,
        history: task.history,
      });
      if (!r.ok) return r;
      if (r.value.problems.length > 0) return { ok: false, problems: r.value.problems };
      const version = engine.templates.get(task.template)?.pkg.manifest.version ?? "";
      const { record } = task;
      return {
        ok: true,
        ...answer(r.value, task.format),
        templateVersion: version,
        offerIds: offersShown(r.value, task.channel),
        ...(record && {
          decision: decisionOfRecord(engine, r.value, { ...record, template: task.template, channels: [task.channel] }),
        }),
        warnings: r.value.warnings,
      };
    }
    case "compose": {
      const r = await compose(engine, task.profile, {
        template: task.template,
        channels: task.channels,
        runDate: task.runDate,
        history: task.history,
      });
      if (!r.ok) return r;
      if (r.value.problems.length > 0) return { ok: false, problems: r.value.problems };
      const documents = archivedForms(r.value);
      return {
        ok: true,
        templateVersion: engine.templates.get(task.template)?.pkg.manifest.version ?? "",
        documents,
        decision: decisionOfRecord(engine, r.value, {
          ...task.record,
          template: task.template,
          channels: documents.map((d) => d.channel),
        }),
        warnings: r.value.warnings,
      };
    }
    case "proposal":
      // Read from the files and built afresh, not this thread's engine: the release is what the files say now.
      try {
        return {
          ok: true,
          ...(await readProposal(config.root, config.engine, task.template, task.runDate, config.samples)),
        };
      } catch (e) {
        if (e instanceof ProblemError) return { ok: false, problems: e.problems };
        throw e;
      }
  }
}

/** Every channel's document as the archive keeps it: the PDF, the .eml as sent, the SMS as JSON. */
function archivedForms(c: Composition): ComposedDocument[] {
  const documents: ComposedDocument[] = [];
  if (c.pdf)
    documents.push({
      channel: "pdf",
      contentType: "application/pdf",
      bytes: c.pdf.bytes,
      offerIds: offersShown(c, "pdf"),
    });
  if (c.email)
    documents.push({
      channel: "email",
      contentType: "message/rfc822",
      bytes: c.email.eml,
      offerIds: offersShown(c, "email"),
    });
  if (c.sms)
    documents.push({
      channel: "sms",
      contentType: "application/json",
      bytes: encoder.encode(JSON.stringify(c.sms)),
      offerIds: offersShown(c, "sms"),
    });
  return documents;
}

/** The bytes to answer with, in the format asked for, and what to archive when that differs. */
function answer(c: Composition, format: EmailFormat = "html") {
  if (c.pdf) return { contentType: "application/pdf", body: c.pdf.bytes };
  // JSON is UTF-8 by definition (RFC 8259): the same type the batch run archives SMS under.
  if (c.sms) return { contentType: "application/json", body: encoder.encode(JSON.stringify(c.sms)) };
  if (!c.email) throw new Error("compose rendered no channel and reported no problem");
  const eml = { contentType: "message/rfc822", bytes: c.email.eml };
  if (format === "eml") return { contentType: eml.contentType, body: eml.bytes };
  if (format === "text")
    return { contentType: "text/plain; charset=utf-8", body: encoder.encode(c.email.text), archive: eml };
  return { contentType: "text/html; charset=utf-8", body: encoder.encode(c.email.html), archive: eml };
}
