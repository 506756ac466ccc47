import { sha256Hex } from "../core/index.ts";
import type { CustomerInteraction } from "../interactions/index.ts";
import { type BlobStore, sweepBlobs } from "./blobs.ts";
import { type DocumentStore, type ProfileRow, interactionKey } from "./store.ts";
import type { Archive, ArchivedDocument, AuditEntry, DecisionInput, DocumentInput, ListOptions } from "./types.ts";
import { ArchiveUnavailableError } from "./unavailable.ts";

const DEFAULT_LIMIT = 200;
const MAX_LIMIT = 10_000;
/** fsync waits on the disk, not the CPU: a few writes in flight keep it busy (about 3x faster than one by one). */
const BLOB_WRITES_AT_ONCE = 16;

/** The id of a document: one per run, customer, template and channel, so recording again replaces. */
export function documentId(d: Pick<DocumentInput, "runId" | "customerId" | "template" | "channel">): string {
  return sha256Hex([d.runId, d.customerId, d.template, d.channel].join("\u0000")).slice(0, 32);
}

/** The id of a decision of record: one per run, customer and template, so recording again replaces. */
export function decisionId(d: Pick<DecisionInput, "runId" | "customerId" | "template">): string {
  return sha256Hex([d.runId, d.customerId, d.template].join("\u0000")).slice(0, 32);
}

/** Bytes to the blob store first, then the rows: a row never points at bytes that are not on disk. */
export function contentArchive(store: DocumentStore, blobs: BlobStore): Archive {
  /** A database that cannot be reached is said so, as its own error, whatever the call. */
  const reach = <T>(work: Promise<T>): Promise<T> =>
    work.catch((e) => {
      throw store.unreachable(e) ? new ArchiveUnavailableError(store.kind, e) : e;
    });
  const recordMany = async (
    docs: readonly DocumentInput[],
    audit: readonly AuditEntry[] = [],
  ): Promise<ArchivedDocument[]> => {
    const documents = docs.map(describe);
    for (let i = 0; i < docs.length; i += BLOB_WRITES_AT_ONCE)
      await Promise.all(
        docs.slice(i, i + BLOB_WRITES_AT_ONCE).map((d, j) => blobs.put(documents[i + j].sha256, d.bytes)),
      );
    await reach(store.insert(lastById(documents), latestProfiles(docs, documents), audit));
    return documents;
  };
  const limit = (options: ListOptions) => Math.min(Math.max(1, Math.trunc(options.limit ?? DEFAULT_LIMIT)), MAX_LIMIT);
  return {
    kind: store.kind,
    recordMany,
    record: async (doc, audit) => (await recordMany([doc], audit))[0],
    list: (customerId, options: ListOptions = {}) => reach(store.list(customerId, limit(options))),
    get: async (id) => {
      const document = await reach(store.find(id));
      return document && { document, bytes: await blobs.get(document.sha256) };
    },
    recordInteractions: async (interactions, audit = []) => {
      const added = await reach(store.insertInteractions(interactions.map(describeInteraction), audit));
      // Of repeats within the call, the first takes the one "added": deleting makes the rest repeats.
      return interactions.map(({ source, sourceId }) => ({
        source,
        sourceId,
        added: added.delete(interactionKey({ source, sourceId })),
      }));
    },
    interactions: (customerId, options: ListOptions = {}) => reach(store.interactions(customerId, limit(options))),
    decisionsOfRecord: () => Promise.reject(new Error("not yet")),
    resolveLink: () => Promise.reject(new Error("not yet")),
    recordResponses: () => Promise.reject(new Error("not yet")),
    responses: () => Promise.reject(new Error("not yet")),
    offerStats: () => Promise.reject(new Error("not yet")),
    histories: () => Promise.reject(new Error("not yet")),
    lastProfile: async (customerId) => {
      const text = await reach(store.lastProfile(customerId));
      return text === undefined ? undefined : JSON.parse(text);
    },
    customersByAccount: (accountNumber) => reach(store.customersByAccount(accountNumber)),
    audit: (entries) => reach(store.insert([], [], entries)),
    auditTrail: (customerId, options: ListOptions = {}) => reach(store.auditTrail(customerId, limit(options))),
    claimRequest: (claim) => reach(store.claimRequest(claim)),
    answerRequest: (keyName, key, response, expires) => reach(store.answerRequest(keyName, key, response, expires)),
    releaseRequest: (keyName, key) => reach(store.releaseRequest(keyName, key)),
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
  const profileSource = d.profileSource ?? "record";
  if (profileSource === "caller" && d.profile !== undefined)
    throw new TypeError("archive: a caller's profile never becomes the profile of record");
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
    ...(d.madeBy !== undefined && { madeBy: d.madeBy }),
    profileSource,
  };
}

/** Callers validated it (the API, an import): what is still wrong is a bug there, so it throws. */
function describeInteraction(i: CustomerInteraction): CustomerInteraction {
  for (const k of ["customerId", "source", "sourceId", "channel", "topic"] as const)
    if (typeof i[k] !== "string" || i[k] === "") throw new TypeError(`archive: ${k} must be a non-empty string`);
  const at = new Date(i.at);
  if (Number.isNaN(at.getTime())) throw new TypeError(`archive: at "${i.at}" is not an ISO date-time`);
  // Stored in UTC, so that ordering by the text orders by the instant.
  return { ...i, at: at.toISOString() };
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
