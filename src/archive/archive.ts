import { sha256Hex } from "../core/index.ts";
import type { CustomerInteraction } from "../interactions/index.ts";
import { type BlobStore, sweepBlobs } from "./blobs.ts";
import { describeDelivery, describeMove, describeSuppression, suppressedAddress } from "./deliveries.ts";
import type { DecisionRow } from "./relationship.ts";
import { describeProof, describeRelease, describeReleaseMove, describeReleaseStep, releaseFilter } from "./releases.ts";
import { type DocumentStore, type HistoryBounds, type ProfileRow, type StatsBounds, interactionKey } from "./store.ts";
import type { Release } from "../releases/types.ts";
import type {
  Archive,
  ArchivedDocument,
  AuditEntry,
  CustomerResponse,
  DecisionInput,
  DeliveryInput,
  DocumentInput,
  HistoryOptions,
  ListOptions,
  OfferStatsFilter,
} from "./types.ts";
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

/** The id of a delivery: one per subject (an event, a document) and channel, so claiming again finds the first. */
export function deliveryId(d: Pick<DeliveryInput, "subject" | "channel">): string {
  return sha256Hex([d.subject, d.channel].join("\u0000")).slice(0, 32);
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
    decisions: readonly DecisionInput[] = [],
  ): Promise<ArchivedDocument[]> => {
    const documents = docs.map(describe);
    const decisionRows = lastById(decisions.map(describeDecision));
    for (let i = 0; i < docs.length; i += BLOB_WRITES_AT_ONCE)
      await Promise.all(
        docs.slice(i, i + BLOB_WRITES_AT_ONCE).map((d, j) => blobs.put(documents[i + j].sha256, d.bytes)),
      );
    await reach(store.insert(lastById(documents), latestProfiles(docs, documents), audit, decisionRows));
    return documents;
  };
  /** Blobs of files or proof documents first, as of documents: a row never points at bytes not on disk. */
  const putAll = async (files: readonly { sha256: string; bytes: Uint8Array }[]) => {
    for (let i = 0; i < files.length; i += BLOB_WRITES_AT_ONCE)
      await Promise.all(files.slice(i, i + BLOB_WRITES_AT_ONCE).map((f) => blobs.put(f.sha256, f.bytes)));
  };
  const release = async (id: string) => (await reach(store.releases(releaseFilter({ id }))))[0];
  const limit = (options: ListOptions) => Math.min(Math.max(1, Math.trunc(options.limit ?? DEFAULT_LIMIT)), MAX_LIMIT);
  return {
    kind: store.kind,
    recordMany,
    record: async (doc, audit, decision) => (await recordMany([doc], audit, decision ? [decision] : []))[0],
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
    decisionsOfRecord: (customerId, options: ListOptions = {}) => reach(store.decisions(customerId, limit(options))),
    resolveLink: (token) => reach(store.resolveLink(token)),
    recordResponses: async (responses, audit = []) => {
      const added = await reach(store.insertResponses(responses.map(describeResponse), audit));
      return responses.map(({ source, sourceId }) => ({
        source,
        sourceId,
        added: added.delete(interactionKey({ source, sourceId })),
      }));
    },
    responses: (customerId, options: ListOptions = {}) => reach(store.responses(customerId, limit(options))),
    offerStats: (filter = {}) => reach(store.offerStats(statsBounds(filter))),
    histories: async (customerIds, upTo, options = {}) =>
      customerIds.length === 0 ? new Map() : reach(store.histories(customerIds, historyBounds(upTo, options))),
    claimDelivery: async (delivery) => {
      const row = describeDelivery(delivery);
      return reach(store.claimDelivery({ id: deliveryId(row), ...row }));
    },
    moveDelivery: async (id, from, change) => reach(store.moveDelivery(describeMove(id, from, change))),
    delivery: (id) => reach(store.delivery(id)),
    deliveryByGatewayId: (gateway, gatewayId) => reach(store.deliveryByGatewayId(gateway, gatewayId)),
    deliveries: (customerId, options: ListOptions = {}) => reach(store.deliveries(customerId, limit(options))),
    printQueue: (options: ListOptions = {}) => reach(store.printQueue(limit(options))),
    suppress: async (entry) => reach(store.suppress(describeSuppression(entry))),
    suppression: async (channel, address) => reach(store.suppression(channel, suppressedAddress(channel, address))),
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
    saveRelease: async (given, content, step, proof) => {
      const first = describeReleaseStep(step);
      const { row, files } = describeRelease(given, content, first, proof);
      const proofRows = proof && describeProof(proof);
      await putAll([...content.files, ...(proof?.documents ?? [])]);
      const created = await reach(store.insertRelease(row, first, files, proofRows));
      return { created, release: (await release(row.id)) as Release };
    },
    moveRelease: async (id, from, step, proof) => {
      const move = describeReleaseMove(id, from, step, proof);
      if (move.step.to === "released") throw new TypeError("archive: a release is published by publishRelease");
      await putAll(proof?.documents ?? []);
      return reach(store.moveRelease(move));
    },
    publishRelease: async (id, from, step) => {
      const move = describeReleaseMove(id, from, step, undefined);
      if (move.step.to !== "released") throw new TypeError("archive: publishing moves a release to released");
      return reach(store.publishRelease(move));
    },
    release,
    releases: async (filter = {}) => {
      const { template, state, idPrefix } = filter;
      if (idPrefix !== undefined && !/^[0-9a-f]+$/.test(idPrefix))
        throw new TypeError(`archive: release id prefix "${idPrefix}" is not lower-case hex`);
      return reach(store.releases(releaseFilter({ template, state, prefix: idPrefix })));
    },
    releaseContent: async (id) => {
      const found = await release(id);
      if (!found) return undefined;
      const rows = await reach(store.releaseFiles(id));
      const files = await Promise.all(rows.map(async (f) => ({ ...f, bytes: await blobs.get(f.sha256) })));
      return { template: found.template, hash: found.id, files };
    },
    releaseProof: async (id) => {
      const rows = await reach(store.releaseProof(id));
      if (!rows) return undefined;
      const documents = await Promise.all(
        rows.documents.map(async (d) => ({ ...d, bytes: await blobs.get(d.sha256) })),
      );
      return { hash: rows.hash, runDate: rows.runDate, documents, problems: JSON.parse(rows.problems) };
    },
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
  if (d.release !== undefined && (typeof d.release !== "string" || d.release === ""))
    throw new TypeError("archive: release must be a non-empty string");
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
    ...(d.release !== undefined && { release: d.release }),
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
function lastById<T extends { id: string }>(rows: T[]): T[] {
  return [...new Map(rows.map((d) => [d.id, d])).values()];
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

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const RESPONSES = new Set(["clicked", "accepted", "declined", "not-now", "opted-out"]);

function instant(value: string, what: string): Date {
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new TypeError(`archive: ${what} "${value}" is not an ISO date`);
  return at;
}

function describeDecision(d: DecisionInput): DecisionRow {
  for (const k of ["customerId", "template", "templateVersion", "runId"] as const)
    if (typeof d[k] !== "string" || (d[k] === "" && k !== "templateVersion"))
      throw new TypeError(`archive: decision ${k} must be a non-empty string`);
  if (!DATE.test(d.runDate)) throw new TypeError(`archive: decision runDate "${d.runDate}" is not YYYY-MM-DD`);
  const offers = new Set(d.items.map((i) => i.offerId));
  if (offers.size !== d.items.length) throw new TypeError("archive: a decision chooses an offer once");
  for (const t of d.links)
    if (t.purpose === "offer" ? !offers.has(t.offerId ?? "") : t.offerId !== undefined)
      throw new TypeError(`archive: link token ${t.token} names no offer of its decision`);
  return {
    id: decisionId(d),
    customerId: d.customerId,
    runId: d.runId,
    template: d.template,
    templateVersion: d.templateVersion,
    runDate: d.runDate,
    created: instant(d.created, "created").toISOString(),
    trace: JSON.stringify(
      d.trace.map(({ id, slot, chosen, rule, reason, event }) => ({
        id,
        slot,
        chosen,
        rule,
        reason,
        ...(event !== undefined && { event }),
      })),
    ),
    items: d.items,
    links: d.links,
  };
}

/** Callers validated it (the API, a tracked link): what is still wrong is a bug there, so it throws. */
function describeResponse(r: CustomerResponse): CustomerResponse {
  for (const k of ["customerId", "source", "sourceId"] as const)
    if (typeof r[k] !== "string" || r[k] === "") throw new TypeError(`archive: ${k} must be a non-empty string`);
  if (!RESPONSES.has(r.response)) throw new TypeError(`archive: "${r.response}" is not a response`);
  if ((r.response === "opted-out") !== (r.offerId === undefined))
    throw new TypeError("archive: a response names its offer, and an opt-out names none");
  return { ...r, at: instant(r.at, "at").toISOString() };
}

/** Dates as the queries compare them: `to` included, so responses before the day after it. */
function statsBounds(f: OfferStatsFilter): StatsBounds {
  for (const d of [f.from, f.to])
    if (d !== undefined && !DATE.test(d)) throw new TypeError(`archive: "${d}" is not YYYY-MM-DD`);
  return {
    from: f.from ?? null,
    to: f.to ?? null,
    before: f.to === undefined ? null : nextDay(f.to),
    offer: f.offerId ?? null,
  };
}

/** A date means through its end (UTC); a timestamp means up to and including that instant. */
function historyBounds(upTo: string, options: HistoryOptions): HistoryBounds {
  const exceptRun = options.exceptRun ?? null;
  if (DATE.test(upTo)) return { before: nextDay(upTo), day: upTo, exceptRun };
  const at = instant(upTo, "upTo");
  return { before: new Date(at.getTime() + 1).toISOString(), day: at.toISOString().slice(0, 10), exceptRun };
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
