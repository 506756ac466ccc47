import pg from "pg";
import type { ReleaseState } from "../releases/types.ts";
import { MIGRATIONS, MIGRATIONS_TABLE, POSTGRES_ACCOUNT_NUMBER } from "./migrations.ts";
import {
  type DocumentStore,
  SELECT_INTERACTIONS,
  heldBy,
  selectDocuments,
  toAuditEntry,
  toDocument,
  toInteraction,
} from "./store.ts";
import {
  OFFER_STATS,
  POSTGRES_DIALECT,
  RESOLVE_LINK,
  SELECT_DECISIONS,
  SELECT_RESPONSES,
  historyQueries,
  numbered,
  selectDecisionItems,
  toHistories,
  toOfferStats,
  toResolvedLink,
  toResponse,
  withItems,
} from "./relationship.ts";
import { audit, insert, insertDecisions, insertInteractions, insertResponses } from "./postgres-writes.ts";
import {
  ADD_STEP,
  CLAIM_DELIVERY,
  FIND_BY_GATEWAY_ID,
  FIND_DELIVERY,
  FIND_SUPPRESSION,
  LIST_DELIVERIES,
  PRINT_QUEUE,
  SUPPRESS,
  moveDelivery,
  selectSteps,
  toDelivery,
  toSuppression,
  withSteps,
} from "./deliveries.ts";

import {
  ADD_PROOF_DOCUMENT,
  ADD_PROOF_SET,
  ADD_RELEASE_FILE,
  ADD_RELEASE_STEP,
  DROP_PROOF,
  INSERT_RELEASE,
  PROOF_DOCUMENTS,
  PROOF_SET,
  type ProofRows,
  RELEASED,
  RELEASE_FILES,
  RELEASE_STATE,
  type ReleaseFileRow,
  type ReleaseMove,
  SELECT_RELEASES,
  SET_RELEASE_STATE,
  byPath,
  stateChange,
  referencedBlobs,
  retirement,
  selectReleaseSteps,
  toProofDocument,
  withReleaseSteps,
} from "./releases.ts";

const SELECT = selectDocuments(
  "coalesce((SELECT json_agg(o.offer_id ORDER BY o.position) FROM document_offers o WHERE o.document_id = d.id), '[]'::json)",
);

/** A query written with `@name` parameters, numbered for pg, run with values by name. */
function named(sql: string) {
  const { text, names } = numbered(sql);
  return async (db: pg.Pool | pg.PoolClient, values: Record<string, unknown>) =>
    (
      await db.query(
        text,
        names.map((n) => values[n] ?? null),
      )
    ).rows as Record<string, unknown>[];
}

const LIST_DECISIONS = named(SELECT_DECISIONS);
const LIST_DECISION_ITEMS = named(selectDecisionItems(POSTGRES_DIALECT));
const FIND_LINK = named(RESOLVE_LINK);
const LIST_RESPONSES = named(SELECT_RESPONSES);
const STATS = named(OFFER_STATS);
const HISTORY = Object.fromEntries(
  Object.entries(historyQueries(POSTGRES_DIALECT)).map(([name, sql]) => [name, named(sql)]),
);

const CLAIM = named(CLAIM_DELIVERY);
const MOVE = named(moveDelivery(POSTGRES_DIALECT));
const STEP = named(ADD_STEP);
const DELIVERY = named(FIND_DELIVERY);
const BY_GATEWAY_ID = named(FIND_BY_GATEWAY_ID);
const DELIVERIES = named(LIST_DELIVERIES);
const STEPS = named(selectSteps(POSTGRES_DIALECT));
const PRINT = named(PRINT_QUEUE);
const SUPPRESS_ADDRESS = named(SUPPRESS);
const SUPPRESSION = named(FIND_SUPPRESSION);

const NEW_RELEASE = named(INSERT_RELEASE);
const RELEASE_STEP = named(ADD_RELEASE_STEP);
const RELEASE_FILE = named(ADD_RELEASE_FILE);
const PROOF_DROPS = DROP_PROOF.map(named);
const NEW_PROOF_SET = named(ADD_PROOF_SET);
const NEW_PROOF_DOCUMENT = named(ADD_PROOF_DOCUMENT);
const LOCK_RELEASE = named(`${RELEASE_STATE} FOR UPDATE`);
const SET_STATE = named(SET_RELEASE_STATE);
const RELEASED_ONE = named(RELEASED);
const RELEASES = named(SELECT_RELEASES);
const RELEASE_STEPS = named(selectReleaseSteps(POSTGRES_DIALECT));
const FILES = named(RELEASE_FILES);
const PROOF = named(PROOF_SET);
const PROOF_DOCS = named(PROOF_DOCUMENTS);
const REFERENCED = named(referencedBlobs(POSTGRES_DIALECT));

async function freeze(client: pg.PoolClient, id: string, proof: ProofRows) {
  for (const drop of PROOF_DROPS) await drop(client, { id });
  await NEW_PROOF_SET(client, { id, hash: proof.hash, runDate: proof.runDate, problems: proof.problems });
  for (const d of proof.documents) await NEW_PROOF_DOCUMENT(client, { id, ...d });
}

/** Inside a transaction: the compare and set on the locked row, then the step from the state it really was in. */
async function moveOne(client: pg.PoolClient, m: ReleaseMove) {
  const [current] = await LOCK_RELEASE(client, { id: m.id });
  const state = current?.state as ReleaseState | undefined;
  if (state === undefined || !m.from.includes(state)) return false;
  await SET_STATE(client, stateChange(m, state));
  await RELEASE_STEP(client, { id: m.id, ...m.step, from: state });
  if (m.proof) await freeze(client, m.id, m.proof);
  return true;
}

/** Any fixed number: every omnidoc process migrating the same database takes this lock, one at a time. */
const MIGRATION_LOCK = 0x6f6d6e64;
/** With the template's hash: publishes of one template take their turns, each seeing the one before. */
const PUBLISH_LOCK = 0x6f6d7265;

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
    insert: (documents, profiles, entries, decisions = []) =>
      transaction(pool, async (client) => {
        await insertDecisions(client, decisions);
        await insert(client, documents, profiles);
        await audit(client, entries);
      }),
    decisions: async (customerId, limit) => {
      const decisions = await LIST_DECISIONS(pool, { customerId, limit });
      return withItems(decisions, await LIST_DECISION_ITEMS(pool, { ids: decisions.map((d) => d.id) }));
    },
    resolveLink: async (token) => {
      const [row] = await FIND_LINK(pool, { token });
      return row && toResolvedLink(row);
    },
    insertResponses: async (responses, entries) => {
      let added = new Set<string>();
      await transaction(pool, async (client) => {
        added = await insertResponses(client, responses);
        await audit(client, entries);
      });
      return added;
    },
    responses: async (customerId, limit) => (await LIST_RESPONSES(pool, { customerId, limit })).map(toResponse),
    offerStats: async (bounds) => (await STATS(pool, { ...bounds })).map(toOfferStats),
    histories: async (customerIds, bounds) => {
      const ids = [...customerIds];
      // Three reads on three pooled connections at once.
      const [interactions, responses, offers] = await Promise.all([
        HISTORY.interactions(pool, { ids, before: bounds.before }),
        HISTORY.responses(pool, { ids, before: bounds.before }),
        HISTORY.offers(pool, { ids, day: bounds.day, exceptRun: bounds.exceptRun }),
      ]);
      return toHistories(customerIds, { interactions, responses, offers });
    },
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
    claimDelivery: async (row) => {
      let claimed = false;
      // Of concurrent inserts of one id, the others wait for the first to commit, then find it taken.
      await transaction(pool, async (client) => {
        claimed = (await CLAIM(client, { ...row })).length === 1;
        if (claimed) await STEP(client, { id: row.id, at: row.at, state: "pending" });
      });
      const [found] = await DELIVERY(pool, { id: row.id });
      return { claimed, delivery: toDelivery(found) };
    },
    moveDelivery: async (m) => {
      let moved = false;
      await transaction(pool, async (client) => {
        moved = (await MOVE(client, { ...m })).length === 1;
        if (moved) await STEP(client, { id: m.id, at: m.at, state: m.state, detail: m.detail });
      });
      return moved;
    },
    delivery: async (id) => {
      const [row] = await DELIVERY(pool, { id });
      return row && toDelivery(row);
    },
    deliveryByGatewayId: async (gateway, gatewayId) => {
      const [row] = await BY_GATEWAY_ID(pool, { gateway, gatewayId });
      return row && toDelivery(row);
    },
    deliveries: async (customerId, limit) => {
      const rows = await DELIVERIES(pool, { customerId, limit });
      return withSteps(rows, await STEPS(pool, { ids: rows.map((r) => r.id) }));
    },
    printQueue: async (limit) => (await PRINT(pool, { limit })).map(toDelivery),
    suppress: async (entry) => {
      await SUPPRESS_ADDRESS(pool, { ...entry });
    },
    suppression: async (channel, address) => {
      const [row] = await SUPPRESSION(pool, { channel, address });
      return row && toSuppression(row);
    },
    insertRelease: async (row, step, files, proof) => {
      let created = false;
      // Of concurrent inserts of one id, the others wait for the first to commit, then find it kept.
      await transaction(pool, async (client) => {
        created = (await NEW_RELEASE(client, { ...row })).length === 1;
        if (!created) return;
        await RELEASE_STEP(client, { id: row.id, ...step });
        for (const f of files) await RELEASE_FILE(client, { id: row.id, ...f });
        if (proof) await freeze(client, row.id, proof);
      });
      return created;
    },
    moveRelease: async (m) => {
      let moved = false;
      await transaction(pool, async (client) => {
        moved = await moveOne(client, m);
      });
      return moved;
    },
    publishRelease: async (m) => {
      let outcome: { published: boolean; retired?: string } = { published: false };
      await transaction(pool, async (client) => {
        const [found] = (await client.query("SELECT template FROM releases WHERE id = $1", [m.id])).rows;
        if (!found) return;
        await client.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [PUBLISH_LOCK, found.template]);
        // Read after the lock: each statement sees what the publish before this one committed.
        const [before] = await RELEASED_ONE(client, { template: found.template });
        const retired = before !== undefined && before.id !== m.id ? String(before.id) : undefined;
        const [current] = await LOCK_RELEASE(client, { id: m.id });
        if (!current || !m.from.includes(current.state as ReleaseState)) return;
        if (retired) {
          await SET_STATE(client, { id: retired, to: "retired", proofHash: null, state: "released" });
          await RELEASE_STEP(client, { id: retired, ...retirement(m) });
        }
        await moveOne(client, m);
        outcome = { published: true, ...(retired && { retired }) };
      });
      return outcome;
    },
    releases: async (filter) => {
      const rows = await RELEASES(pool, { ...filter });
      return withReleaseSteps(rows, await RELEASE_STEPS(pool, { ids: rows.map((r) => r.id) }));
    },
    releaseFiles: async (id) => byPath((await FILES(pool, { id })) as unknown as ReleaseFileRow[]),
    releaseProof: async (id) => {
      const [set] = await PROOF(pool, { id });
      if (!set) return undefined;
      const documents = (await PROOF_DOCS(pool, { id })).map(toProofDocument);
      return {
        hash: String(set.hash),
        runDate: String(set.runDate),
        problems: String(set.problems),
        documents: byPath(documents),
      };
    },
    referenced: async (sha256s) =>
      new Set((await REFERENCED(pool, { hashes: [...sha256s] })).map((row) => String(row.sha256))),
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

async function migrate(pool: pg.Pool, schema: string | undefined): Promise<void> {
  await transaction(pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    // Under the lock: two servers starting at once on a fresh database would both create it, and one would fail
    // on the catalogue's unique name even with IF NOT EXISTS.
    if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
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
