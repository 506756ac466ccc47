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
  /** The profile the document was composed from; kept (latest wins) so the customer can be re-rendered by id. */
  profile?: unknown;
}

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
}

export interface ListOptions {
  /** At most this many documents, newest first (default 200). */
  limit?: number;
}

/**
 * Every document sent to every customer, by any run or request: the single customer view.
 * Both backends (SQLite, PostgreSQL) behave the same; the shared contract test suite holds them to it.
 */
export interface Archive {
  /** `sqlite:` or `postgres:`, for health checks and logs (never the credentials). */
  readonly kind: "sqlite" | "postgres";
  record(doc: DocumentInput): Promise<ArchivedDocument>;
  /** Many documents in one transaction: all of them are recorded, or none. */
  recordMany(docs: readonly DocumentInput[]): Promise<ArchivedDocument[]>;
  /** A customer's documents, newest first, each with its offers. */
  list(customerId: string, options?: ListOptions): Promise<ArchivedDocument[]>;
  get(documentId: string): Promise<{ document: ArchivedDocument; bytes: Uint8Array } | undefined>;
  /** The last profile recorded for a customer, as it was given. */
  lastProfile(customerId: string): Promise<unknown | undefined>;
  /**
   * Removes temporary files and blobs no document points at, of files last modified before `before` (what a
   * crash between writing bytes and recording their row leaves). Run at start-up.
   */
  sweep(before: Date): Promise<{ temporary: number; orphans: number }>;
  /** True when the database answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
