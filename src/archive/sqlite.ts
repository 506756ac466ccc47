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
import {
  type DecisionRow,
  OFFER_STATS,
  RESOLVE_LINK,
  SELECT_DECISIONS,
  SELECT_RESPONSES,
  SQLITE_DIALECT,
  historyQueries,
  selectDecisionItems,
  toHistories,
  toOfferStats,
  toResolvedLink,
  toResponse,
  withItems,
} from "./relationship.ts";
import {
  ADD_STEP,
  CLAIM_DELIVERY,
  type DeliveryMove,
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
  type ReleaseRow,
  type ReleaseStepRow,
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
import type { ArchivedDocument, AuditEntry, CustomerResponse } from "./types.ts";

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
       made_by, profile_source, release)
    VALUES (@id, @customerId, @template, @templateVersion, @channel, @runId, @created, @contentType, @sha256, @size,
      @madeBy, @profileSource, @release)
    ON CONFLICT (id) DO UPDATE SET customer_id = excluded.customer_id, template = excluded.template,
      template_version = excluded.template_version, channel = excluded.channel, run_id = excluded.run_id,
      created = excluded.created, content_type = excluded.content_type, sha256 = excluded.sha256, size = excluded.size,
      made_by = excluded.made_by, profile_source = excluded.profile_source, release = excluded.release`);
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
  const upsertDecision = db.prepare(`INSERT INTO decisions
      (id, customer_id, run_id, template, template_version, run_date, created, trace)
    VALUES (@id, @customerId, @runId, @template, @templateVersion, @runDate, @created, @trace)
    ON CONFLICT (id) DO UPDATE SET template_version = excluded.template_version, run_date = excluded.run_date,
      created = excluded.created, trace = excluded.trace`);
  const deleteItems = db.prepare("DELETE FROM decision_items WHERE decision_id = ?");
  const deleteTokens = db.prepare("DELETE FROM link_tokens WHERE decision_id = ?");
  const insertItem = db.prepare(`INSERT INTO decision_items (decision_id, position, offer_id, kind, slot, priority,
      marketing, valid_from, valid_to, experiment_id, variant, target)
    VALUES (@decisionId, @position, @offerId, @kind, @slot, @priority, @marketing, @validFrom, @validTo, @experimentId,
      @variant, @target)`);
  const upsertToken = db.prepare(`INSERT INTO link_tokens (token, decision_id, customer_id, offer_id, channel, purpose)
    VALUES (@token, @decisionId, @customerId, @offerId, @channel, @purpose)
    ON CONFLICT (token) DO UPDATE SET decision_id = excluded.decision_id, customer_id = excluded.customer_id,
      offer_id = excluded.offer_id, channel = excluded.channel, purpose = excluded.purpose`);
  const listDecisions = db.prepare(SELECT_DECISIONS);
  const listDecisionItems = db.prepare(selectDecisionItems(SQLITE_DIALECT));
  const resolveLink = db.prepare(RESOLVE_LINK);
  const insertResponse = db.prepare(`INSERT INTO responses
      (customer_id, offer_id, response, channel, document_id, decision_id, at, source, source_id, note)
    VALUES (@customerId, @offerId, @response, @channel, @documentId, @decisionId, @at, @source, @sourceId, @note)
    ON CONFLICT (source, source_id) DO NOTHING`);
  const listResponses = db.prepare(SELECT_RESPONSES);
  const offerStats = db.prepare(OFFER_STATS);
  const history = Object.fromEntries(
    Object.entries(historyQueries(SQLITE_DIALECT)).map(([name, sql]) => [name, db.prepare(sql)]),
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

  const claimDelivery = db.prepare(CLAIM_DELIVERY);
  const moveRow = db.prepare(moveDelivery(SQLITE_DIALECT));
  const addStep = db.prepare(ADD_STEP);
  const findDelivery = db.prepare(FIND_DELIVERY);
  const findByGatewayId = db.prepare(FIND_BY_GATEWAY_ID);
  const listDeliveries = db.prepare(LIST_DELIVERIES);
  const listSteps = db.prepare(selectSteps(SQLITE_DIALECT));
  const printQueue = db.prepare(PRINT_QUEUE);
  const suppress = db.prepare(SUPPRESS);
  const findSuppression = db.prepare(FIND_SUPPRESSION);
  const delivery = (id: string) => {
    const row = findDelivery.get({ id }) as Record<string, unknown> | undefined;
    return row && toDelivery(row);
  };
  const move = db.transaction((m: DeliveryMove) => {
    const { id, state, at, detail } = m;
    if (moveRow.get({ ...m, from: JSON.stringify(m.from) }) === undefined) return false;
    addStep.run({ id, at, state, detail });
    return true;
  });

  const insertRelease = db.prepare(INSERT_RELEASE);
  const addReleaseStep = db.prepare(ADD_RELEASE_STEP);
  const addReleaseFile = db.prepare(ADD_RELEASE_FILE);
  const dropProof = DROP_PROOF.map((sql) => db.prepare(sql));
  const addProofSet = db.prepare(ADD_PROOF_SET);
  const addProofDocument = db.prepare(ADD_PROOF_DOCUMENT);
  const releaseState = db.prepare(RELEASE_STATE);
  const setReleaseState = db.prepare(SET_RELEASE_STATE);
  const released = db.prepare(RELEASED).pluck();
  const listReleases = db.prepare(SELECT_RELEASES);
  const listReleaseSteps = db.prepare(selectReleaseSteps(SQLITE_DIALECT));
  const releaseFiles = db.prepare(RELEASE_FILES);
  const proofSet = db.prepare(PROOF_SET);
  const proofDocuments = db.prepare(PROOF_DOCUMENTS);
  const referenced = db.prepare(referencedBlobs(SQLITE_DIALECT)).pluck();
  const freeze = (id: string, proof: ProofRows) => {
    for (const drop of dropProof) drop.run({ id });
    addProofSet.run({ id, hash: proof.hash, runDate: proof.runDate, problems: proof.problems });
    for (const d of proof.documents) addProofDocument.run({ id, ...d, pages: d.pages ?? null });
  };
  const saveRelease = db.transaction(
    (row: ReleaseRow, step: ReleaseStepRow, files: readonly ReleaseFileRow[], proof?: ProofRows) => {
      if (insertRelease.get(row) === undefined) return false;
      addReleaseStep.run({ id: row.id, ...step });
      for (const f of files) addReleaseFile.run({ id: row.id, ...f });
      if (proof) freeze(row.id, proof);
      return true;
    },
  );
  /** Inside a transaction: the compare and set, then the step from the state the release really was in. */
  const moveOne = (m: ReleaseMove) => {
    const current = releaseState.get({ id: m.id }) as { state: ReleaseRow["state"]; template: string } | undefined;
    if (!current || !m.from.includes(current.state)) return undefined;
    setReleaseState.run(stateChange(m, current.state));
    addReleaseStep.run({ id: m.id, ...m.step, from: current.state });
    if (m.proof) freeze(m.id, m.proof);
    return current;
  };
  const moveRelease = db.transaction((m: ReleaseMove) => moveOne(m) !== undefined);
  // One writer at a time: the transaction sees the template's released release as the last publish left it.
  const publishRelease = db.transaction((m: ReleaseMove) => {
    const current = releaseState.get({ id: m.id }) as { state: ReleaseRow["state"]; template: string } | undefined;
    if (!current || !m.from.includes(current.state)) return { published: false };
    const before = released.get({ template: current.template }) as string | undefined;
    const retired = before !== undefined && before !== m.id ? before : undefined;
    if (retired) {
      setReleaseState.run({ id: retired, to: "retired", proofHash: null, state: "released" });
      addReleaseStep.run({ id: retired, ...retirement(m) });
    }
    moveOne(m);
    return { published: true, ...(retired && { retired }) };
  });

  const audit = (entries: readonly AuditEntry[]) => {
    for (const e of entries) insertAudit.run({ ...e, documentId: e.documentId ?? null });
  };
  const recordDecision = (d: DecisionRow) => {
    const { items, links, ...row } = d;
    upsertDecision.run(row);
    deleteItems.run(d.id);
    deleteTokens.run(d.id);
    for (const [position, i] of items.entries())
      insertItem.run({
        decisionId: d.id,
        position,
        offerId: i.offerId,
        kind: i.kind,
        slot: i.slot,
        priority: i.priority,
        marketing: i.marketing ? 1 : 0,
        validFrom: i.validFrom ?? null,
        validTo: i.validTo ?? null,
        experimentId: i.experiment?.id ?? null,
        variant: i.experiment?.variant ?? null,
        target: i.target ?? null,
      });
    for (const t of links)
      upsertToken.run({ ...t, offerId: t.offerId ?? null, decisionId: d.id, customerId: d.customerId });
  };
  const insert = db.transaction(
    (
      documents: readonly ArchivedDocument[],
      profiles: readonly ProfileRow[],
      entries: readonly AuditEntry[],
      decisions: readonly DecisionRow[],
    ) => {
      for (const d of decisions) recordDecision(d);
      for (const d of documents) {
        const { offerIds, ...row } = d;
        upsertDocument.run({ ...row, madeBy: row.madeBy ?? null, release: row.release ?? null });
        deleteOffers.run(d.id);
        for (const [i, offer] of offerIds.entries()) insertOffer.run(d.id, i, offer);
      }
      for (const p of profiles) upsertProfile.run(p);
      audit(entries);
    },
  );
  const insertResponses = db.transaction((responses: readonly CustomerResponse[], entries: readonly AuditEntry[]) => {
    const added = new Set<string>();
    for (const r of responses) {
      const row = { offerId: null, channel: null, documentId: null, decisionId: null, note: null, ...r };
      if (insertResponse.run(row).changes === 1) added.add(interactionKey(r));
    }
    audit(entries);
    return added;
  });
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
    insert: async (documents, profiles, entries, decisions = []) =>
      insert.immediate(documents, profiles, entries, decisions),
    decisions: async (customerId, limit) => {
      const decisions = listDecisions.all({ customerId, limit }) as Record<string, unknown>[];
      const ids = JSON.stringify(decisions.map((d) => d.id));
      return withItems(decisions, listDecisionItems.all({ ids }) as Record<string, unknown>[]);
    },
    resolveLink: async (token) => {
      const row = resolveLink.get({ token }) as Record<string, unknown> | undefined;
      return row && toResolvedLink(row);
    },
    insertResponses: async (responses, entries) => insertResponses.immediate(responses, entries),
    responses: async (customerId, limit) =>
      listResponses.all({ customerId, limit }).map((r) => toResponse(r as Record<string, unknown>)),
    offerStats: async (bounds) => offerStats.all(bounds).map((r) => toOfferStats(r as Record<string, unknown>)),
    histories: async (customerIds, bounds) => {
      const ids = JSON.stringify(customerIds);
      const read = (name: string, params: object) => history[name].all({ ids, ...params }) as Record<string, unknown>[];
      return toHistories(customerIds, {
        interactions: read("interactions", { before: bounds.before }),
        responses: read("responses", { before: bounds.before }),
        offers: read("offers", { day: bounds.day, exceptRun: bounds.exceptRun }),
      });
    },
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
    claimDelivery: async (row) => {
      const claimed = db
        .transaction(() => {
          if (claimDelivery.get(row) === undefined) return false;
          addStep.run({ id: row.id, at: row.at, state: "pending", detail: null });
          return true;
        })
        .immediate();
      return { claimed, delivery: delivery(row.id)! };
    },
    moveDelivery: async (m) => move.immediate(m),
    delivery: async (id) => delivery(id),
    deliveryByGatewayId: async (gateway, gatewayId) => {
      const row = findByGatewayId.get({ gateway, gatewayId }) as Record<string, unknown> | undefined;
      return row && toDelivery(row);
    },
    deliveries: async (customerId, limit) => {
      const rows = listDeliveries.all({ customerId, limit }) as Record<string, unknown>[];
      const ids = JSON.stringify(rows.map((r) => r.id));
      return withSteps(rows, listSteps.all({ ids }) as Record<string, unknown>[]);
    },
    printQueue: async (limit) => printQueue.all({ limit }).map((r) => toDelivery(r as Record<string, unknown>)),
    suppress: async (entry) => {
      suppress.run({ deliveryId: null, ...entry });
    },
    suppression: async (channel, address) => {
      const row = findSuppression.get({ channel, address }) as Record<string, unknown> | undefined;
      return row && toSuppression(row);
    },
    insertRelease: async (row, step, files, proof) => saveRelease.immediate(row, step, files, proof),
    moveRelease: async (m) => moveRelease.immediate(m),
    publishRelease: async (m) => publishRelease.immediate(m),
    releases: async (filter) => {
      const rows = listReleases.all(filter) as Record<string, unknown>[];
      const ids = JSON.stringify(rows.map((r) => r.id));
      return withReleaseSteps(rows, listReleaseSteps.all({ ids }) as Record<string, unknown>[]);
    },
    releaseFiles: async (id) => byPath(releaseFiles.all({ id }) as ReleaseFileRow[]),
    releaseProof: async (id) => {
      const set = proofSet.get({ id }) as Omit<ProofRows, "documents"> | undefined;
      if (!set) return undefined;
      const documents = (proofDocuments.all({ id }) as Record<string, unknown>[]).map(toProofDocument);
      return { ...set, documents: byPath(documents) };
    },
    referenced: async (sha256s) => new Set(referenced.all({ hashes: JSON.stringify(sha256s) }) as string[]),
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
