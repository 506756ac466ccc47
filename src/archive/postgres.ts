import pg from "pg";
import { MIGRATIONS, MIGRATIONS_TABLE, POSTGRES_ACCOUNT_NUMBER } from "./migrations.ts";
import type { CustomerInteraction } from "../interactions/index.ts";
import {
  type DocumentStore,
  type ProfileRow,
  SELECT_INTERACTIONS,
  heldBy,
  interactionKey,
  selectDocuments,
  toAuditEntry,
  toDocument,
  toInteraction,
} from "./store.ts";
import type { ArchivedDocument, AuditEntry } from "./types.ts";

const SELECT = selectDocuments(
  "coalesce((SELECT json_agg(o.offer_id ORDER BY o.position) FROM document_offers o WHERE o.document_id = d.id), '[]'::json)",
);

/** Any fixed number: every omnidoc process migrating the same database takes this lock, one at a time. */
const MIGRATION_LOCK = 0x6f6d6e64;

export interface PostgresOptions {
  /** Keep the tables in this schema (created if missing) instead of the connection's default. */
  schema?: string;
  /** Connections in the pool. */
  max?: number;
}

/** The archive for several machines: PostgreSQL, same tables and behaviour as the SQLite store. */
export async function openPostgresStore(
  connectionString: string,
  options: PostgresOptions = {},
): Promise<DocumentStore> {
  const { schema } = options;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
    throw new Error(`invalid PostgreSQL schema name "${schema}"`);
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 8,
    // A stuck database must not hold an API request or a batch worker forever.
    query_timeout: 30_000,
    connectionTimeoutMillis: 10_000,
    // Set at connection start-up, so every query of every pooled connection sees the archive's schema.
    ...(schema !== undefined && { options: `-c search_path=${schema}` }),
  });
  // An idle connection that drops must not crash the process: the next query reconnects.
  pool.on("error", () => {});
  try {
    await migrate(pool, schema);
  } catch (e) {
    await pool.end();
    throw e;
  }

  return {
    kind: "postgres",
    insert: (documents, profiles, entries) =>
      transaction(pool, async (client) => {
        await insert(client, documents, profiles);
        await audit(client, entries);
      }),
    list: async (customerId, limit) => {
      const r = await pool.query(`${SELECT} WHERE d.customer_id = $1 ORDER BY d.created DESC, d.seq DESC LIMIT $2`, [
        customerId,
        limit,
      ]);
      return r.rows.map(toDocument);
    },
    insertInteractions: async (interactions, entries) => {
      let added = new Set<string>();
      await transaction(pool, async (client) => {
        added = await insertInteractions(client, interactions);
        await audit(client, entries);
      });
      return added;
    },
    interactions: async (customerId, limit) => {
      const r = await pool.query(`${SELECT_INTERACTIONS} WHERE customer_id = $1 ORDER BY at DESC, seq DESC LIMIT $2`, [
        customerId,
        limit,
      ]);
      return r.rows.map(toInteraction);
    },
    find: async (id) => {
      const r = await pool.query(`${SELECT} WHERE d.id = $1`, [id]);
      return r.rows[0] && toDocument(r.rows[0]);
    },
    lastProfile: async (customerId) => {
      const r = await pool.query("SELECT profile FROM customer_profiles WHERE customer_id = $1", [customerId]);
      return r.rows[0]?.profile as string | undefined;
    },
    customersByAccount: async (accountNumber) => {
      const r = await pool.query(
        `SELECT customer_id FROM customer_profiles WHERE ${POSTGRES_ACCOUNT_NUMBER} = $1
         ORDER BY updated DESC, customer_id`,
        [accountNumber],
      );
      return r.rows.map((row) => String(row.customer_id));
    },
    auditTrail: async (customerId, limit) => {
      const r = await pool.query(
        `SELECT at, key_name AS "keyName", route, customer_id AS "customerId", action, document_id AS "documentId"
         FROM audit_trail WHERE customer_id = $1 ORDER BY at DESC, seq DESC LIMIT $2`,
        [customerId, limit],
      );
      return r.rows.map(toAuditEntry);
    },
    claimRequest: async (claim) => {
      const { keyName, idempotencyKey, requestHash, expires, now } = claim;
      await pool.query("DELETE FROM idempotent_requests WHERE expires <= $1", [now]);
      // Of concurrent inserts of one key, the others wait for the first to commit, then find the key taken.
      const r = await pool.query(
        `INSERT INTO idempotent_requests (key_name, idempotency_key, request_hash, expires) VALUES ($1, $2, $3, $4)
         ON CONFLICT (key_name, idempotency_key) DO UPDATE SET request_hash = excluded.request_hash, status = NULL,
           headers = NULL, body = NULL, expires = excluded.expires
         WHERE idempotent_requests.expires <= $5
         RETURNING key_name`,
        [keyName, idempotencyKey, requestHash, expires, now],
      );
      if (r.rowCount === 1) return { claimed: true };
      const held = await pool.query(
        `SELECT request_hash AS "requestHash", status, headers, body FROM idempotent_requests
         WHERE key_name = $1 AND idempotency_key = $2`,
        [keyName, idempotencyKey],
      );
      return heldBy(held.rows[0], claim);
    },
    answerRequest: async (keyName, idempotencyKey, response, expires) => {
      await pool.query(
        `UPDATE idempotent_requests SET status = $1, headers = $2, body = $3, expires = $4
         WHERE key_name = $5 AND idempotency_key = $6`,
        [
          response.status,
          JSON.stringify(response.headers),
          Buffer.from(response.body),
          expires,
          keyName,
          idempotencyKey,
        ],
      );
    },
    releaseRequest: async (keyName, idempotencyKey) => {
      await pool.query("DELETE FROM idempotent_requests WHERE key_name = $1 AND idempotency_key = $2", [
        keyName,
        idempotencyKey,
      ]);
    },
    referenced: async (sha256s) => {
      const r = await pool.query("SELECT DISTINCT sha256 FROM documents WHERE sha256 = ANY($1::text[])", [sha256s]);
      return new Set(r.rows.map((row) => String(row.sha256)));
    },
    ping: async () => (await pool.query("SELECT 1 AS one")).rows[0]?.one === 1,
    close: () => pool.end(),
    unreachable,
  };
}

/** Socket errors, SQLSTATE classes 08 (connection) and 57P (shutdown, starting up), too many connections. */
const UNREACHABLE_CODES =
  /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE|08...|57P0[1-3]|53300)$/;
/** What pg and its pool say when a connection drops or cannot be made in time. */
const UNREACHABLE_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Query read timeout)/;

/** True when PostgreSQL cannot be reached or is not accepting work: the error is the database's state, not a bug. */
function unreachable(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown; errors?: unknown };
  // A host with several addresses fails with an AggregateError of one error per address.
  if (Array.isArray(err?.errors) && err.errors.length > 0) return err.errors.every(unreachable);
  return UNREACHABLE_CODES.test(String(err?.code)) || UNREACHABLE_MESSAGES.test(String(err?.message));
}

async function transaction(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await work(client);
    await client.query("COMMIT");
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

/** Thousands of rows in three statements: arrays unnested server-side instead of a round trip per row. */
async function insert(client: pg.PoolClient, docs: readonly ArchivedDocument[], profiles: readonly ProfileRow[]) {
  if (docs.length > 0) {
    const col = <K extends keyof ArchivedDocument>(k: K) => docs.map((d) => d[k]);
    await client.query(
      `INSERT INTO documents (id, customer_id, template, template_version, channel, run_id, created, content_type, sha256,
         size, made_by, profile_source)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
         $8::text[], $9::text[], $10::bigint[], $11::text[], $12::text[])
       ON CONFLICT (id) DO UPDATE SET customer_id = excluded.customer_id, template = excluded.template,
         template_version = excluded.template_version, channel = excluded.channel, run_id = excluded.run_id,
         created = excluded.created, content_type = excluded.content_type, sha256 = excluded.sha256, size = excluded.size,
         made_by = excluded.made_by, profile_source = excluded.profile_source`,
      [
        col("id"),
        col("customerId"),
        col("template"),
        col("templateVersion"),
        col("channel"),
        col("runId"),
        col("created"),
        col("contentType"),
        col("sha256"),
        col("size"),
        docs.map((d) => d.madeBy ?? null),
        col("profileSource"),
      ],
    );
    await client.query("DELETE FROM document_offers WHERE document_id = ANY($1::text[])", [col("id")]);
    const offers = docs.flatMap((d) => d.offerIds.map((offer, i) => [d.id, i, offer] as const));
    if (offers.length > 0)
      await client.query(
        "INSERT INTO document_offers (document_id, position, offer_id) SELECT * FROM unnest($1::text[], $2::int[], $3::text[])",
        [offers.map((o) => o[0]), offers.map((o) => o[1]), offers.map((o) => o[2])],
      );
  }
  if (profiles.length > 0)
    await client.query(
      `INSERT INTO customer_profiles (customer_id, profile, updated)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
       ON CONFLICT (customer_id) DO UPDATE SET profile = excluded.profile, updated = excluded.updated
       WHERE excluded.updated >= customer_profiles.updated`,
      [profiles.map((p) => p.customerId), profiles.map((p) => p.profile), profiles.map((p) => p.updated)],
    );
}

/** One statement; a pair already recorded, or repeated within the call, is skipped (unnest keeps the given order). */
async function insertInteractions(
  client: pg.PoolClient,
  interactions: readonly CustomerInteraction[],
): Promise<Set<string>> {
  if (interactions.length === 0) return new Set();
  const col = <K extends keyof CustomerInteraction>(k: K) => interactions.map((i) => i[k] ?? null);
  const r = await client.query(
    `INSERT INTO interactions (customer_id, source, source_id, at, channel, topic, outcome, note)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
       $8::text[])
     ON CONFLICT (source, source_id) DO NOTHING
     RETURNING source, source_id AS "sourceId"`,
    [
      col("customerId"),
      col("source"),
      col("sourceId"),
      col("at"),
      col("channel"),
      col("topic"),
      col("outcome"),
      col("note"),
    ],
  );
  return new Set(r.rows.map((row) => interactionKey({ source: String(row.source), sourceId: String(row.sourceId) })));
}

async function audit(client: pg.PoolClient, entries: readonly AuditEntry[]) {
  if (entries.length === 0) return;
  const col = <K extends keyof AuditEntry>(k: K) => entries.map((e) => e[k] ?? null);
  await client.query(
    `INSERT INTO audit_trail (at, key_name, route, customer_id, action, document_id)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])`,
    [col("at"), col("keyName"), col("route"), col("customerId"), col("action"), col("documentId")],
  );
}

async function migrate(pool: pg.Pool, schema: string | undefined): Promise<void> {
  if (schema !== undefined) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await transaction(pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await client.query(MIGRATIONS_TABLE);
    const r = await client.query("SELECT coalesce(max(version), 0) AS v FROM schema_migrations");
    const current = Number(r.rows[0].v);
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      await client.query(m.postgres);
      await client.query("INSERT INTO schema_migrations (version, name, applied) VALUES ($1, $2, $3)", [
        m.version,
        m.name,
        new Date().toISOString(),
      ]);
    }
  });
}
