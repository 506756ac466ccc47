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

/** The account number of a stored profile, as each dialect reads it: the expression its index is built on. */
export const SQLITE_ACCOUNT_NUMBER = "json_extract(profile, '$.account.number')";
export const POSTGRES_ACCOUNT_NUMBER = "profile::jsonb #>> '{account,number}'";

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

/** Documents archived before this step were all made by billing runs from their extracts: of record. */
const provenance = `
  ALTER TABLE documents ADD COLUMN made_by TEXT;
  ALTER TABLE documents ADD COLUMN profile_source TEXT NOT NULL DEFAULT 'record';`;

/** `status` is NULL while the first request is in flight; `expires` lets a later one take the key over. */
const idempotency = (bytes: string) => `
  CREATE TABLE idempotent_requests (
    key_name TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER,
    headers TEXT,
    body ${bytes},
    expires TEXT NOT NULL,
    PRIMARY KEY (key_name, idempotency_key)
  );
  CREATE INDEX idempotent_requests_expires ON idempotent_requests (expires);`;

const audit = (seq: string) => `
  CREATE TABLE audit_trail (
    seq ${seq},
    at TEXT NOT NULL,
    key_name TEXT NOT NULL,
    route TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    action TEXT NOT NULL,
    document_id TEXT
  );
  CREATE INDEX audit_trail_customer ON audit_trail (customer_id, at DESC, seq DESC);`;

/** A contact is reported by its own system under its own id: that pair is recorded once, whoever sends it again. */
const interactions = (seq: string) => `
  CREATE TABLE interactions (
    seq ${seq},
    customer_id TEXT NOT NULL,
    source TEXT NOT NULL,
    source_id TEXT NOT NULL,
    at TEXT NOT NULL,
    channel TEXT NOT NULL,
    topic TEXT NOT NULL,
    outcome TEXT,
    note TEXT,
    UNIQUE (source, source_id)
  );
  CREATE INDEX interactions_customer ON interactions (customer_id, at DESC, seq DESC);`;

/**
 * The decision each composition made, kept with its documents: its items in slot order with what a link
 * redirects to, the trace summary as JSON, and the tokens its documents' links carry. A document belongs to
 * the decision of its run, customer and template, hence the index that joins them.
 */
const decisions = `
  CREATE TABLE decisions (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL,
    run_id TEXT NOT NULL,
    template TEXT NOT NULL,
    template_version TEXT NOT NULL,
    run_date TEXT NOT NULL,
    created TEXT NOT NULL,
    trace TEXT NOT NULL
  );
  CREATE INDEX decisions_customer ON decisions (customer_id, run_date DESC, created DESC);
  CREATE TABLE decision_items (
    decision_id TEXT NOT NULL REFERENCES decisions (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    offer_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    slot TEXT NOT NULL,
    priority INTEGER NOT NULL,
    marketing INTEGER NOT NULL,
    valid_from TEXT,
    valid_to TEXT,
    experiment_id TEXT,
    variant TEXT,
    target TEXT,
    PRIMARY KEY (decision_id, position)
  );
  CREATE INDEX decision_items_offer ON decision_items (offer_id);
  CREATE TABLE link_tokens (
    token TEXT PRIMARY KEY,
    decision_id TEXT NOT NULL REFERENCES decisions (id) ON DELETE CASCADE,
    customer_id TEXT NOT NULL,
    offer_id TEXT,
    channel TEXT NOT NULL,
    purpose TEXT NOT NULL
  );
  CREATE INDEX link_tokens_decision ON link_tokens (decision_id);
  CREATE INDEX documents_composition ON documents (run_id, customer_id, template);
  CREATE INDEX document_offers_carried ON document_offers (document_id, offer_id);`;

/** What customers did about offers, from tracked links and every other system: once per source and id. */
const responses = (seq: string) => `
  CREATE TABLE responses (
    seq ${seq},
    customer_id TEXT NOT NULL,
    offer_id TEXT,
    response TEXT NOT NULL,
    channel TEXT,
    document_id TEXT,
    decision_id TEXT,
    at TEXT NOT NULL,
    source TEXT NOT NULL,
    source_id TEXT NOT NULL,
    note TEXT,
    UNIQUE (source, source_id)
  );
  CREATE INDEX responses_customer ON responses (customer_id, at DESC, seq DESC);
  CREATE INDEX responses_offer ON responses (offer_id, at);`;

/**
 * A call centre finds a customer by the account number their bills print: an index on the number in the last
 * profile of record, read from the profile's own JSON, so nothing that writes profiles has to fill a column.
 */
const accountNumbers = (number: string) => `
  CREATE INDEX customer_profiles_account ON customer_profiles ((${number}));`;

/**
 * The outbox: one delivery per subject and channel (the id is their hash, so a claim is an insert that may find
 * it taken), each move a step of its own, and the addresses that take no more messages. The print queue is the
 * few letters still pending, hence a partial index of them alone.
 */
const outbox = (seq: string) => `
  CREATE TABLE deliveries (
    id TEXT PRIMARY KEY,
    subject TEXT NOT NULL,
    channel TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    address TEXT,
    document_id TEXT,
    fallback_of TEXT,
    not_before TEXT,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    gateway TEXT,
    gateway_id TEXT,
    detail TEXT,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
  );
  CREATE INDEX deliveries_customer ON deliveries (customer_id, created DESC, id DESC);
  CREATE INDEX deliveries_gateway ON deliveries (gateway, gateway_id);
  CREATE INDEX deliveries_print_queue ON deliveries (created, id) WHERE channel = 'print' AND state = 'pending';
  CREATE TABLE delivery_steps (
    seq ${seq},
    delivery_id TEXT NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    state TEXT NOT NULL,
    detail TEXT
  );
  CREATE INDEX delivery_steps_delivery ON delivery_steps (delivery_id, seq);
  CREATE TABLE suppressions (
    channel TEXT NOT NULL,
    address TEXT NOT NULL,
    reason TEXT NOT NULL,
    at TEXT NOT NULL,
    delivery_id TEXT,
    PRIMARY KEY (channel, address)
  );`;

/**
 * Releases: a template's content by its hash, each move a step of its own, its files and its proof set's
 * documents pointing at blobs by hash (stored once, however many releases share them). A template has at most
 * one released release, which the partial unique index holds even against a bug. Documents name the release
 * they were composed with.
 */
const releases = (seq: string) => `
  CREATE TABLE releases (
    id TEXT PRIMARY KEY,
    template TEXT NOT NULL,
    template_version TEXT NOT NULL,
    state TEXT NOT NULL,
    proof_hash TEXT
  );
  CREATE INDEX releases_template ON releases (template, state);
  CREATE UNIQUE INDEX releases_released ON releases (template) WHERE state = 'released';
  CREATE TABLE release_steps (
    seq ${seq},
    release_id TEXT NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
    action TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    by_name TEXT NOT NULL,
    at TEXT NOT NULL,
    comment TEXT,
    seen TEXT
  );
  CREATE INDEX release_steps_release ON release_steps (release_id, seq);
  CREATE TABLE release_files (
    release_id TEXT NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (release_id, path)
  );
  CREATE INDEX release_files_blob ON release_files (sha256);
  CREATE TABLE proof_sets (
    release_id TEXT PRIMARY KEY REFERENCES releases (id) ON DELETE CASCADE,
    hash TEXT NOT NULL,
    run_date TEXT NOT NULL,
    problems TEXT NOT NULL
  );
  CREATE TABLE proof_documents (
    release_id TEXT NOT NULL REFERENCES proof_sets (release_id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    label TEXT NOT NULL,
    channel TEXT NOT NULL,
    content_type TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    pages INTEGER,
    PRIMARY KEY (release_id, path)
  );
  CREATE INDEX proof_documents_blob ON proof_documents (sha256);
  ALTER TABLE documents ADD COLUMN release TEXT;`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "documents, offers and customer profiles",
    sqlite: tables("INTEGER PRIMARY KEY", "INTEGER"),
    postgres: tables("BIGSERIAL PRIMARY KEY", "BIGINT"),
  },
  {
    version: 2,
    name: "the key that made each document, and whether its profile is the customer's of record",
    sqlite: provenance,
    postgres: provenance,
  },
  {
    version: 3,
    name: "idempotent requests: the first answer to each key of each caller",
    sqlite: idempotency("BLOB"),
    postgres: idempotency("BYTEA"),
  },
  {
    version: 4,
    name: "audit trail: which key read or wrote a customer's documents",
    sqlite: audit("INTEGER PRIMARY KEY"),
    postgres: audit("BIGSERIAL PRIMARY KEY"),
  },
  {
    version: 5,
    name: "interactions: every contact a customer had, from every system, once per source and id",
    sqlite: interactions("INTEGER PRIMARY KEY"),
    postgres: interactions("BIGSERIAL PRIMARY KEY"),
  },
  {
    version: 6,
    name: "decisions of record: each composition's items, trace and link tokens, kept with its documents",
    sqlite: decisions,
    postgres: decisions,
  },
  {
    version: 7,
    name: "responses: clicks, answers and opt-outs, once per source and id",
    sqlite: responses("INTEGER PRIMARY KEY"),
    postgres: responses("BIGSERIAL PRIMARY KEY"),
  },
  {
    version: 8,
    name: "customers found by the account number of their profile of record",
    sqlite: accountNumbers(SQLITE_ACCOUNT_NUMBER),
    postgres: accountNumbers(POSTGRES_ACCOUNT_NUMBER),
  },
  {
    version: 9,
    name: "the outbox: deliveries with their steps, and suppressed addresses",
    sqlite: outbox("INTEGER PRIMARY KEY"),
    postgres: outbox("BIGSERIAL PRIMARY KEY"),
  },
  {
    version: 10,
    name: "releases: content by hash, steps, files, proof sets, and the release each document was composed with",
    sqlite: releases("INTEGER PRIMARY KEY"),
    postgres: releases("BIGSERIAL PRIMARY KEY"),
  },
];

export const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied TEXT NOT NULL)`;
