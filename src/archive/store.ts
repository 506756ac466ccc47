import type { ArchivedDocument } from "./types.ts";

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
  /** Documents (replacing any with the same id, offers included) and profiles, in one transaction. */
  insert(documents: readonly ArchivedDocument[], profiles: readonly ProfileRow[]): Promise<void>;
  list(customerId: string, limit: number): Promise<ArchivedDocument[]>;
  find(documentId: string): Promise<ArchivedDocument | undefined>;
  lastProfile(customerId: string): Promise<string | undefined>;
  /** Which of these blob hashes some document row points at. */
  referenced(sha256s: readonly string[]): Promise<Set<string>>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * The columns every read selects, with camelCase aliases (quoted, so PostgreSQL keeps the case).
 * `offers` is the dialect's JSON array aggregate of the document's offer ids in position order.
 */
export function selectDocuments(offers: string): string {
  return `SELECT d.id, d.customer_id AS "customerId", d.template, d.template_version AS "templateVersion",
    d.channel, d.run_id AS "runId", d.created, d.content_type AS "contentType", d.sha256, d.size,
    ${offers} AS "offerIds"
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
  };
}
