import type { CustomerInteraction } from "../interactions/index.ts";
import type { CustomerHistory } from "../decide/index.ts";
import type { DeliveryMove, DeliveryRow } from "./deliveries.ts";
import type { DecisionRow } from "./relationship.ts";
import type { ProofRows, ReleaseFileRow, ReleaseFilter, ReleaseMove, ReleaseRow, ReleaseStepRow } from "./releases.ts";
import type { Release } from "../releases/types.ts";
import type {
  ArchivedDocument,
  AuditEntry,
  ClaimOutcome,
  CustomerResponse,
  DecisionOfRecord,
  Delivery,
  DeliveryChannel,
  DeliveryStep,
  OfferStats,
  RequestClaim,
  ResolvedLink,
  StoredResponse,
  Suppression,
} from "./types.ts";

/** Which statistics to count: ISO dates, both ends included, and `before` the day after `to`. */
export interface StatsBounds {
  from: string | null;
  to: string | null;
  before: string | null;
  offer: string | null;
}

/** Which history to read: events before `before`, offers of decisions whose run date is up to `day`. */
export interface HistoryBounds {
  before: string;
  day: string;
  exceptRun: string | null;
}

/** A customer's last profile, as JSON text, with the time of the document it came with. */
export interface ProfileRow {
  customerId: string;
  profile: string;
  updated: string;
}

/**
 * What a database backend does; the archive around it handles hashing, blobs and ids, so the SQLite and
 * PostgreSQL stores differ only in SQL.
 */
export interface DocumentStore {
  readonly kind: "sqlite" | "postgres";
  /**
   * Documents (replacing any with the same id, offers included), profiles, audit entries and decisions of record
   * (replacing any with the same id, items and tokens included), in one transaction.
   */
  insert(
    documents: readonly ArchivedDocument[],
    profiles: readonly ProfileRow[],
    audit: readonly AuditEntry[],
    decisions?: readonly DecisionRow[],
  ): Promise<void>;
  decisions(customerId: string, limit: number): Promise<DecisionOfRecord[]>;
  resolveLink(token: string): Promise<ResolvedLink | undefined>;
  /** Like `insertInteractions`, for responses. */
  insertResponses(responses: readonly CustomerResponse[], audit: readonly AuditEntry[]): Promise<Set<string>>;
  responses(customerId: string, limit: number): Promise<CustomerResponse[]>;
  offerStats(bounds: StatsBounds): Promise<OfferStats[]>;
  histories(customerIds: readonly string[], bounds: HistoryBounds): Promise<Map<string, CustomerHistory>>;
  list(customerId: string, limit: number): Promise<ArchivedDocument[]>;
  /**
   * Interactions whose (source, sourceId) is not recorded yet, and audit entries, in one transaction; answers
   * the `interactionKey` of each one added.
   */
  insertInteractions(interactions: readonly CustomerInteraction[], audit: readonly AuditEntry[]): Promise<Set<string>>;
  interactions(customerId: string, limit: number): Promise<CustomerInteraction[]>;
  find(documentId: string): Promise<ArchivedDocument | undefined>;
  lastProfile(customerId: string): Promise<string | undefined>;
  customersByAccount(accountNumber: string): Promise<string[]>;
  auditTrail(customerId: string, limit: number): Promise<AuditEntry[]>;
  claimRequest(claim: RequestClaim): Promise<ClaimOutcome>;
  answerRequest(keyName: string, idempotencyKey: string, response: StoredResponse, expires: string): Promise<void>;
  releaseRequest(keyName: string, idempotencyKey: string): Promise<void>;
  /** Inserts the delivery and its first step unless its id is taken, in one transaction; then reads it. */
  claimDelivery(row: DeliveryRow): Promise<{ claimed: boolean; delivery: Delivery }>;
  /** The row and its step in one transaction, if the row is in one of `from`. */
  moveDelivery(move: DeliveryMove): Promise<boolean>;
  delivery(id: string): Promise<Delivery | undefined>;
  deliveryByGatewayId(gateway: string, gatewayId: string): Promise<Delivery | undefined>;
  deliveries(customerId: string, limit: number): Promise<(Delivery & { steps: DeliveryStep[] })[]>;
  printQueue(limit: number): Promise<Delivery[]>;
  suppress(entry: Suppression): Promise<void>;
  suppression(channel: DeliveryChannel, address: string): Promise<Suppression | undefined>;
  /** A new release's row, first step, files and proof set in one transaction, unless its id is kept: whether it was new. */
  insertRelease(
    row: ReleaseRow,
    step: ReleaseStepRow,
    files: readonly ReleaseFileRow[],
    proof?: ProofRows,
  ): Promise<boolean>;
  /**
   * The move, its step (whose `from` is the state the release really was in) and any proof set in one
   * transaction, if the release is in one of `move.from`.
   */
  moveRelease(move: ReleaseMove): Promise<boolean>;
  /**
   * A move to `released` that retires the template's released release (with its own step) in the same
   * transaction; publishes of one template take their turns, so each sees the one before it.
   */
  publishRelease(move: ReleaseMove): Promise<{ published: boolean; retired?: string }>;
  /** With their steps, newest first by their last step. */
  releases(filter: ReleaseFilter): Promise<Release[]>;
  /** A release's files by path; none when the release is not kept. */
  releaseFiles(id: string): Promise<ReleaseFileRow[]>;
  releaseProof(id: string): Promise<ProofRows | undefined>;
  /** Which of these blob hashes a document, a release file or a proof document points at. */
  referenced(sha256s: readonly string[]): Promise<Set<string>>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
  /** True when an error of this backend means the database cannot be reached (down, restarting, busy), not a bug. */
  unreachable(error: unknown): boolean;
}

/**
 * The columns every read selects, with camelCase aliases (quoted, so PostgreSQL keeps the case).
 * `offers` is the dialect's JSON array aggregate of the document's offer ids in position order.
 */
export function selectDocuments(offers: string): string {
  return `SELECT d.id, d.customer_id AS "customerId", d.template, d.template_version AS "templateVersion",
    d.channel, d.run_id AS "runId", d.created, d.content_type AS "contentType", d.sha256, d.size,
    d.made_by AS "madeBy", d.profile_source AS "profileSource", d.release, ${offers} AS "offerIds"
    FROM documents d`;
}

/** A row as a driver returns it: JSON may come as text (SQLite) or parsed (PostgreSQL), BIGINT as a string. */
export function toDocument(row: Record<string, unknown>): ArchivedDocument {
  const offers = row.offerIds;
  return {
    id: String(row.id),
    customerId: String(row.customerId),
    template: String(row.template),
    templateVersion: String(row.templateVersion),
    channel: String(row.channel),
    runId: String(row.runId),
    created: String(row.created),
    offerIds: (typeof offers === "string" ? JSON.parse(offers) : (offers ?? [])) as string[],
    contentType: String(row.contentType),
    sha256: String(row.sha256),
    size: Number(row.size),
    ...(row.madeBy != null && { madeBy: String(row.madeBy) }),
    profileSource: row.profileSource === "caller" ? "caller" : "record",
    ...(row.release != null && { release: String(row.release) }),
  };
}

/** Columns of an interaction as every read selects them. */
export const SELECT_INTERACTIONS = `SELECT customer_id AS "customerId", source, source_id AS "sourceId", at, channel,
  topic, outcome, note FROM interactions`;

/**
 * What makes an interaction (or a response) itself: its source and its id there (a NUL cannot occur in either).
 */
export function interactionKey(i: Pick<CustomerInteraction, "source" | "sourceId">): string {
  return `${i.source}\u0000${i.sourceId}`;
}

export function toInteraction(row: Record<string, unknown>): CustomerInteraction {
  return {
    customerId: String(row.customerId),
    source: String(row.source),
    sourceId: String(row.sourceId),
    at: String(row.at),
    channel: String(row.channel) as CustomerInteraction["channel"],
    topic: String(row.topic),
    ...(row.outcome != null && { outcome: String(row.outcome) }),
    ...(row.note != null && { note: String(row.note) }),
  };
}

export function toAuditEntry(row: Record<string, unknown>): AuditEntry {
  return {
    at: String(row.at),
    keyName: String(row.keyName),
    route: String(row.route),
    customerId: String(row.customerId),
    action: row.action === "write" ? "write" : "read",
    ...(row.documentId != null && { documentId: String(row.documentId) }),
  };
}

/** The outcome for a request that did not win the claim, from the row that holds the key. */
export function heldBy(row: Record<string, unknown> | undefined, claim: RequestClaim): ClaimOutcome {
  // The holder let go between the claim and this read: answered as in flight, so the caller retries.
  if (!row) return { claimed: false, requestHash: claim.requestHash };
  const requestHash = String(row.requestHash);
  if (row.status == null) return { claimed: false, requestHash };
  const body = row.body as Uint8Array;
  return {
    claimed: false,
    requestHash,
    response: {
      status: Number(row.status),
      headers: JSON.parse(String(row.headers)),
      body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
    },
  };
}
