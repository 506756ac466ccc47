import { sha256Hex } from "../core/index.ts";
import { type BlobStore, sweepBlobs } from "./blobs.ts";
import type { DocumentStore, ProfileRow } from "./store.ts";
import type { Archive, ArchivedDocument, DocumentInput, ListOptions } from "./types.ts";

const DEFAULT_LIMIT = 200;
const MAX_LIMIT = 10_000;
/** fsync waits on the disk, not the CPU: a few writes in flight keep it busy (about 3x faster than one by one). */
const BLOB_WRITES_AT_ONCE = 16;

/** The id of a document: one per run, customer, template and channel, so recording again replaces. */
export function documentId(d: Pick<DocumentInput, "runId" | "customerId" | "template" | "channel">): string {
  return sha256Hex([d.runId, d.customerId, d.template, d.channel].join("\u0000")).slice(0, 32);
}

/** Bytes to the blob store first, then the rows: a row never points at bytes that are not on disk. */
export function contentArchive(store: DocumentStore, blobs: BlobStore): Archive {
  const recordMany = async (docs: readonly DocumentInput[]): Promise<ArchivedDocument[]> => {
    const documents = docs.map(describe);
    for (let i = 0; i < docs.length; i += BLOB_WRITES_AT_ONCE)
      await Promise.all(
        docs.slice(i, i + BLOB_WRITES_AT_ONCE).map((d, j) => blobs.put(documents[i + j].sha256, d.bytes)),
      );
    await store.insert(lastById(documents), latestProfiles(docs, documents));
    return documents;
  };
  return {
    kind: store.kind,
    recordMany,
    record: async (doc) => (await recordMany([doc]))[0],
    list: (customerId, options: ListOptions = {}) =>
      store.list(customerId, Math.min(Math.max(1, Math.trunc(options.limit ?? DEFAULT_LIMIT)), MAX_LIMIT)),
    get: async (id) => {
      const document = await store.find(id);
      return document && { document, bytes: await blobs.get(document.sha256) };
    },
    lastProfile: async (customerId) => {
      const text = await store.lastProfile(customerId);
      return text === undefined ? undefined : JSON.parse(text);
    },
    sweep: (before) => sweepBlobs(blobs, { before, referenced: (hashes) => store.referenced(hashes) }),
    ping: () => store.ping().catch(() => false),
    close: () => store.close(),
  };
}

/** Callers are our own batch run and API: malformed input is a bug there, so it throws. */
function describe(d: DocumentInput): ArchivedDocument {
  for (const k of ["customerId", "template", "templateVersion", "channel", "runId", "contentType"] as const)
    if (typeof d[k] !== "string" || d[k] === "") throw new TypeError(`archive: ${k} must be a non-empty string`);
  const created = new Date(d.created);
  if (Number.isNaN(created.getTime())) throw new TypeError(`archive: created "${d.created}" is not an ISO date`);
  if (!(d.bytes instanceof Uint8Array)) throw new TypeError("archive: bytes must be a Uint8Array");
  return {
    id: documentId(d),
    customerId: d.customerId,
    template: d.template,
    templateVersion: d.templateVersion,
    channel: d.channel,
    runId: d.runId,
    created: created.toISOString(),
    offerIds: [...d.offerIds],
    contentType: d.contentType,
    sha256: sha256Hex(d.bytes),
    size: d.bytes.byteLength,
  };
}

/** One row per id (the last wins), as a single upsert statement may not touch a row twice. */
function lastById(documents: ArchivedDocument[]): ArchivedDocument[] {
  return [...new Map(documents.map((d) => [d.id, d])).values()];
}

/** The newest profile given for each customer in the batch. */
function latestProfiles(docs: readonly DocumentInput[], documents: ArchivedDocument[]): ProfileRow[] {
  const latest = new Map<string, ProfileRow>();
  docs.forEach((d, i) => {
    if (d.profile === undefined) return;
    const updated = documents[i].created;
    const seen = latest.get(d.customerId);
    if (!seen || updated >= seen.updated)
      latest.set(d.customerId, { customerId: d.customerId, profile: JSON.stringify(d.profile), updated });
  });
  return [...latest.values()];
}
