import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { MIGRATIONS, MIGRATIONS_TABLE, SQLITE_ACCOUNT_NUMBER } from "./migrations.ts";
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
  "(SELECT json_group_array(o.offer_id ORDER BY o.position) FROM document_offers o WHERE o.document_id = d.id)",
);

/** The embedded archive: one SQLite file in WAL mode, nothing to set up. */
export function openSqliteStore(path: string): DocumentStore {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  // WAL with NORMAL survives a process crash; only a power loss can lose the last transactions.
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  migrate(db);

  const upsertDocument = db.prepare(`INSERT INTO documents
      (id, customer_id, template, template_version, channel, run_id, created, content_type, sha256, size,
       made_by, profile_source)
    VALUES (@id, @customerId, @template, @templateVersion, @channel, @runId, @created, @contentType, @sha256, @size,
      @madeBy, @profileSource)
    ON CONFLICT (id) DO UPDATE SET customer_id = excluded.customer_id, template = excluded.template,
      template_version = excluded.template_version, channel = excluded.channel, run_id = excluded.run_id,
      created = excluded.created, content_type = excluded.content_type, sha256 = excluded.sha256, size = excluded.size,
      made_by = excluded.made_by, profile_source = excluded.profile_source`);
  const deleteOffers = db.prepare("DELETE FROM document_offers WHERE document_id = ?");
  const insertOffer = db.prepare("INSERT INTO document_offers (document_id, position, offer_id) VALUES (?, ?, ?)");
  const upsertProfile = db.prepare(`INSERT INTO customer_profiles (customer_id, profile, updated)
    VALUES (@customerId, @profile, @updated)
    ON CONFLICT (customer_id) DO UPDATE SET profile = excluded.profile, updated = excluded.updated
    WHERE excluded.updated >= customer_profiles.updated`);
  const listDocuments = db.prepare(`${SELECT} WHERE d.customer_id = ? ORDER BY d.created DESC, d.seq DESC LIMIT ?`);
  const findDocument = db.prepare(`${SELECT} WHERE d.id = ?`);
  const findProfile = db.prepare("SELECT profile FROM customer_profiles WHERE customer_id = ?").pluck();
  const findByAccount = db
    .prepare(
      `SELECT customer_id FROM customer_profiles WHERE ${SQLITE_ACCOUNT_NUMBER} = ? ORDER BY updated DESC, customer_id`,
    )
    .pluck();
  const insertAudit = db.prepare(`INSERT INTO audit_trail (at, key_name, route, customer_id, action, document_id)
    VALUES (@at, @keyName, @route, @customerId, @action, @documentId)`);
  const listAudit = db.prepare(`SELECT at, key_name AS keyName, route, customer_id AS customerId, action,
    document_id AS documentId FROM audit_trail WHERE customer_id = ? ORDER BY at DESC, seq DESC LIMIT ?`);
  const insertInteraction = db.prepare(`INSERT INTO interactions
      (customer_id, source, source_id, at, channel, topic, outcome, note)
    VALUES (@customerId, @source, @sourceId, @at, @channel, @topic, @outcome, @note)
    ON CONFLICT (source, source_id) DO NOTHING`);
  const listInteractions = db.prepare(
    `${SELECT_INTERACTIONS} WHERE customer_id = ? ORDER BY at DESC, seq DESC LIMIT ?`,
  );
  const sweepRequests = db.prepare("DELETE FROM idempotent_requests WHERE expires <= ?");
  const claimRequest = db.prepare(`INSERT INTO idempotent_requests (key_name, idempotency_key, request_hash, expires)
    VALUES (@keyName, @idempotencyKey, @requestHash, @expires)
    ON CONFLICT (key_name, idempotency_key) DO UPDATE SET request_hash = excluded.request_hash, status = NULL,
      headers = NULL, body = NULL, expires = excluded.expires
    WHERE idempotent_requests.expires <= @now
    RETURNING key_name`);
  const heldRequest = db.prepare(`SELECT request_hash AS requestHash, status, headers, body FROM idempotent_requests
    WHERE key_name = ? AND idempotency_key = ?`);
  const answerRequest = db.prepare(`UPDATE idempotent_requests SET status = ?, headers = ?, body = ?, expires = ?
    WHERE key_name = ? AND idempotency_key = ?`);
  const releaseRequest = db.prepare("DELETE FROM idempotent_requests WHERE key_name = ? AND idempotency_key = ?");

  const audit = (entries: readonly AuditEntry[]) => {
    for (const e of entries) insertAudit.run({ ...e, documentId: e.documentId ?? null });
  };
  const insert = db.transaction(
    (documents: readonly ArchivedDocument[], profiles: readonly ProfileRow[], entries: readonly AuditEntry[]) => {
      for (const d of documents) {
        const { offerIds, ...row } = d;
        upsertDocument.run({ ...row, madeBy: row.madeBy ?? null });
        deleteOffers.run(d.id);
        for (const [i, offer] of offerIds.entries()) insertOffer.run(d.id, i, offer);
      }
      for (const p of profiles) upsertProfile.run(p);
      audit(entries);
    },
  );
  const insertInteractions = db.transaction(
    (interactions: readonly CustomerInteraction[], entries: readonly AuditEntry[]) => {
      const added = new Set<string>();
      for (const i of interactions)
        if (insertInteraction.run({ outcome: null, note: null, ...i }).changes === 1) added.add(interactionKey(i));
      audit(entries);
      return added;
    },
  );

  return {
    kind: "sqlite",
    insert: async (documents, profiles, entries) => insert.immediate(documents, profiles, entries),
    list: async (customerId, limit) =>
      listDocuments.all(customerId, limit).map((r) => toDocument(r as Record<string, unknown>)),
    insertInteractions: async (interactions, entries) => insertInteractions.immediate(interactions, entries),
    interactions: async (customerId, limit) =>
      listInteractions.all(customerId, limit).map((r) => toInteraction(r as Record<string, unknown>)),
    find: async (id) => {
      const row = findDocument.get(id) as Record<string, unknown> | undefined;
      return row && toDocument(row);
    },
    lastProfile: async (customerId) => findProfile.get(customerId) as string | undefined,
    customersByAccount: async (accountNumber) => findByAccount.all(accountNumber) as string[],
    auditTrail: async (customerId, limit) =>
      listAudit.all(customerId, limit).map((r) => toAuditEntry(r as Record<string, unknown>)),
    claimRequest: async (claim) => {
      const { keyName, idempotencyKey, requestHash, expires, now } = claim;
      const claimed = db
        .transaction(() => {
          sweepRequests.run(now);
          return claimRequest.get({ keyName, idempotencyKey, requestHash, expires, now }) !== undefined;
        })
        .immediate();
      if (claimed) return { claimed: true };
      return heldBy(heldRequest.get(keyName, idempotencyKey) as Record<string, unknown> | undefined, claim);
    },
    answerRequest: async (keyName, idempotencyKey, r, expires) => {
      answerRequest.run(r.status, JSON.stringify(r.headers), Buffer.from(r.body), expires, keyName, idempotencyKey);
    },
    releaseRequest: async (keyName, idempotencyKey) => {
      releaseRequest.run(keyName, idempotencyKey);
    },
    referenced: async (sha256s) => {
      const marks = sha256s.map(() => "?").join(",");
      const rows = db
        .prepare(`SELECT DISTINCT sha256 FROM documents WHERE sha256 IN (${marks})`)
        .pluck()
        .all(...sha256s);
      return new Set(rows as string[]);
    },
    ping: async () => db.prepare("SELECT 1").pluck().get() === 1,
    close: async () => {
      db.close();
    },
    // Another process holds the write lock longer than busy_timeout: the database is there but cannot answer.
    unreachable: (e) => /^SQLITE_(BUSY|LOCKED)/.test(String((e as { code?: unknown })?.code)),
  };
}

function migrate(db: Database.Database): void {
  db.exec(MIGRATIONS_TABLE);
  db.transaction(() => {
    const current =
      (db.prepare("SELECT coalesce(max(version), 0) FROM schema_migrations").pluck().get() as number) ?? 0;
    const record = db.prepare("INSERT INTO schema_migrations (version, name, applied) VALUES (?, ?, ?)");
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      db.exec(m.sqlite);
      record.run(m.version, m.name, new Date().toISOString());
    }
  }).immediate();
}
