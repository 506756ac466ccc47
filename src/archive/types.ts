import type { CustomerInteraction } from "../interactions/index.ts";

/** One document as a batch run or the API hands it to the archive. */
export interface DocumentInput {
  customerId: string;
  template: string;
  templateVersion: string;
  /** `pdf`, `email` or `sms`. */
  channel: string;
  /** The batch run id, or the API request's own run id. */
  runId: string;
  /** When it was made, as an ISO 8601 date or timestamp chosen by the caller (the archive never reads the clock). */
  created: string;
  /** Offer and message ids the decision put in this document, in slot order. */
  offerIds: readonly string[];
  /** `application/pdf`, `message/rfc822`, `application/json` (SMS). */
  contentType: string;
  bytes: Uint8Array;
  /** Who made it: the name of the API key; absent for a billing run, whose runId names it. */
  madeBy?: string;
  /** Where the profile the document was composed from came from (default `record`). */
  profileSource?: ProfileSource;
  /**
   * A new profile of record for the customer, kept (latest wins) so the customer can be re-rendered by id.
   * Only from a billing run's extract or a caller allowed to write it; never with profileSource `caller`.
   */
  profile?: unknown;
}

/**
 * `record`: the customer's profile of record (a billing run's extract, the archive's own, or one a caller
 * allowed to write it sent); `caller`: a profile a caller sent that did not become the record, so a document
 * made from it is no evidence of what the customer's record says.
 */
export type ProfileSource = "record" | "caller";

/** What the archive keeps about one document: everything but the bytes, which live on disk by their hash. */
export interface ArchivedDocument {
  /**
   * Derived from run, customer, template and channel: recording the same document twice (a retried batch
   * job) replaces it instead of adding a copy.
   */
  id: string;
  customerId: string;
  template: string;
  templateVersion: string;
  channel: string;
  runId: string;
  /** Normalised to UTC, `2026-11-01T00:00:00.000Z`. */
  created: string;
  offerIds: string[];
  contentType: string;
  sha256: string;
  size: number;
  madeBy?: string;
  profileSource: ProfileSource;
}

/** One read or write of a customer's documents or profile of record, by one API key. */
export interface AuditEntry {
  /** ISO 8601 timestamp from the caller's clock. */
  at: string;
  keyName: string;
  /** Method and route pattern, `GET /v1/customers/:id/documents`. */
  route: string;
  customerId: string;
  action: "read" | "write";
  documentId?: string;
}

/** What recording an interaction did: `added`, or false when its source and sourceId were already recorded. */
export interface InteractionReceipt {
  source: string;
  sourceId: string;
  added: boolean;
}

/** The answer an idempotent request gave, to give again to a retry with the same key. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** A request's claim on its idempotency key; times are ISO 8601 from the caller's clock. */
export interface RequestClaim {
  /** The API key's name: idempotency keys are scoped per caller. */
  keyName: string;
  idempotencyKey: string;
  /** A hash of what the request asks (method, route, body): a retry must ask the same. */
  requestHash: string;
  now: string;
  /** Until when the claim holds if the request never answers (a crash): then another request may take it. */
  expires: string;
}

/** Either this request holds the key now, or an earlier one does: its hash, and its answer once it has one. */
export type ClaimOutcome = { claimed: true } | { claimed: false; requestHash: string; response?: StoredResponse };

export interface ListOptions {
  /** At most this many documents (or interactions, or audit entries), newest first (default 200). */
  limit?: number;
}

/**
 * Every document sent to every customer, by any run or request: the single customer view.
 * Both backends (SQLite, PostgreSQL) behave the same; the shared contract test suite holds them to it.
 * A call that fails because the database cannot be reached rejects with an `ArchiveUnavailableError`.
 */
export interface Archive {
  /** `sqlite:` or `postgres:`, for health checks and logs (never the credentials). */
  readonly kind: "sqlite" | "postgres";
  /** A document, and the audit entries of the request that made it, in one transaction. */
  record(doc: DocumentInput, audit?: readonly AuditEntry[]): Promise<ArchivedDocument>;
  /** Many documents (and audit entries) in one transaction: all of them are recorded, or none. */
  recordMany(docs: readonly DocumentInput[], audit?: readonly AuditEntry[]): Promise<ArchivedDocument[]>;
  /** A customer's documents, newest first, each with its offers. */
  list(customerId: string, options?: ListOptions): Promise<ArchivedDocument[]>;
  get(documentId: string): Promise<{ document: ArchivedDocument; bytes: Uint8Array } | undefined>;
  /**
   * Interactions (and the audit entries of the request that sent them) in one transaction. One whose source and
   * sourceId are already recorded changes nothing, whatever it says now: the first report of a contact stands.
   * Receipts are in the order given; of repeats within the call, the first is the one added.
   */
  recordInteractions(
    interactions: readonly CustomerInteraction[],
    audit?: readonly AuditEntry[],
  ): Promise<InteractionReceipt[]>;
  /** A customer's interactions, newest first (`at` normalised to UTC). */
  interactions(customerId: string, options?: ListOptions): Promise<CustomerInteraction[]>;
  /** The last profile recorded for a customer, as it was given. */
  lastProfile(customerId: string): Promise<unknown | undefined>;
  /**
   * The customers whose last profile of record carries this account number (`account.number`), most recently
   * updated first: one, as a rule, or none.
   */
  customersByAccount(accountNumber: string): Promise<string[]>;
  /** Records reads (or writes) of customers' data. */
  audit(entries: readonly AuditEntry[]): Promise<void>;
  /** Who read or wrote a customer's documents, newest first. */
  auditTrail(customerId: string, options?: ListOptions): Promise<AuditEntry[]>;
  /**
   * Claims an idempotency key for a request, atomically: of concurrent claims exactly one wins. A claim
   * whose `expires` has passed is taken over, and expired ones are swept.
   */
  claimRequest(claim: RequestClaim): Promise<ClaimOutcome>;
  /** Keeps the answer of the request holding the key, until `expires`. */
  answerRequest(keyName: string, idempotencyKey: string, response: StoredResponse, expires: string): Promise<void>;
  /** Lets the key go (the request failed in a way a retry may not): the next request with it runs afresh. */
  releaseRequest(keyName: string, idempotencyKey: string): Promise<void>;
  /**
   * Removes temporary files and blobs no document points at, of files last modified before `before` (what a
   * crash between writing bytes and recording their row leaves). Run at start-up.
   */
  sweep(before: Date): Promise<{ temporary: number; orphans: number }>;
  /** True when the database answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
