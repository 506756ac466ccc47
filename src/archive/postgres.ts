import pg from "pg";
import { MIGRATIONS, MIGRATIONS_TABLE } from "./migrations.ts";
import { type DocumentStore, type ProfileRow, selectDocuments, toDocument } from "./store.ts";
import type { ArchivedDocument } from "./types.ts";

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
    insert: (documents, profiles) => transaction(pool, (client) => insert(client, documents, profiles)),
    list: async (customerId, limit) => {
      const r = await pool.query(`${SELECT} WHERE d.customer_id = $1 ORDER BY d.created DESC, d.seq DESC LIMIT $2`, [
        customerId,
        limit,
      ]);
      return r.rows.map(toDocument);
    },
    find: async (id) => {
      const r = await pool.query(`${SELECT} WHERE d.id = $1`, [id]);
      return r.rows[0] && toDocument(r.rows[0]);
    },
    lastProfile: async (customerId) => {
      const r = await pool.query("SELECT profile FROM customer_profiles WHERE customer_id = $1", [customerId]);
      return r.rows[0]?.profile as string | undefined;
    },
    referenced: async (sha256s) => {
      const r = await pool.query("SELECT DISTINCT sha256 FROM documents WHERE sha256 = ANY($1::text[])", [sha256s]);
      return new Set(r.rows.map((row) => String(row.sha256)));
    },
    ping: async () => (await pool.query("SELECT 1 AS one")).rows[0]?.one === 1,
    close: () => pool.end(),
  };
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
      `INSERT INTO documents (id, customer_id, template, template_version, channel, run_id, created, content_type, sha256, size)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
         $8::text[], $9::text[], $10::bigint[])
       ON CONFLICT (id) DO UPDATE SET customer_id = excluded.customer_id, template = excluded.template,
         template_version = excluded.template_version, channel = excluded.channel, run_id = excluded.run_id,
         created = excluded.created, content_type = excluded.content_type, sha256 = excluded.sha256, size = excluded.size`,
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
