/**
 * The archive's schema, one numbered step at a time. Start-up applies every step a database has not seen
 * yet and records it in `schema_migrations`. Steps are never edited once released: a change is a new step.
 */
export interface Migration {
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
}

const tables = (seq: string, size: string) => `
  CREATE TABLE documents (
    seq ${seq},
    id TEXT NOT NULL UNIQUE,
    customer_id TEXT NOT NULL,
    template TEXT NOT NULL,
    template_version TEXT NOT NULL,
    channel TEXT NOT NULL,
    run_id TEXT NOT NULL,
    created TEXT NOT NULL,
    content_type TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size ${size} NOT NULL
  );
  CREATE INDEX documents_customer ON documents (customer_id, created DESC, seq DESC);
  CREATE INDEX documents_run ON documents (run_id);
  CREATE TABLE document_offers (
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    offer_id TEXT NOT NULL,
    PRIMARY KEY (document_id, position)
  );
  CREATE INDEX document_offers_offer ON document_offers (offer_id);
  CREATE TABLE customer_profiles (
    customer_id TEXT PRIMARY KEY,
    profile TEXT NOT NULL,
    updated TEXT NOT NULL
  );`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "documents, offers and customer profiles",
    sqlite: tables("INTEGER PRIMARY KEY", "INTEGER"),
    postgres: tables("BIGSERIAL PRIMARY KEY", "BIGINT"),
  },
];

export const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied TEXT NOT NULL)`;
