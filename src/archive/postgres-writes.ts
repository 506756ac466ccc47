import type pg from "pg";
import type { CustomerInteraction } from "../interactions/index.ts";
import type { DecisionRow } from "./relationship.ts";
import { type ProfileRow, interactionKey } from "./store.ts";
import type { ArchivedDocument, AuditEntry, CustomerResponse } from "./types.ts";

/**
 * The PostgreSQL store's writes, each run inside the caller's transaction: many rows a statement, arrays
 * unnested server-side instead of a round trip per row.
 */

/** Thousands of rows in three statements: arrays unnested server-side instead of a round trip per row. */
export async function insert(
  client: pg.PoolClient,
  docs: readonly ArchivedDocument[],
  profiles: readonly ProfileRow[],
) {
  if (docs.length > 0) {
    const col = <K extends keyof ArchivedDocument>(k: K) => docs.map((d) => d[k]);
    await client.query(
      `INSERT INTO documents (id, customer_id, template, template_version, channel, run_id, created, content_type, sha256,
         size, made_by, profile_source, release)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
         $8::text[], $9::text[], $10::bigint[], $11::text[], $12::text[], $13::text[])
       ON CONFLICT (id) DO UPDATE SET customer_id = excluded.customer_id, template = excluded.template,
         template_version = excluded.template_version, channel = excluded.channel, run_id = excluded.run_id,
         created = excluded.created, content_type = excluded.content_type, sha256 = excluded.sha256, size = excluded.size,
         made_by = excluded.made_by, profile_source = excluded.profile_source, release = excluded.release`,
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
        docs.map((d) => d.release ?? null),
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

/**
 * Decisions of record replacing any with the same id: their rows, then their items and tokens afresh. A token
 * another decision recorded (the same offer, channel and run date) now resolves to this one.
 */
export async function insertDecisions(client: pg.PoolClient, decisions: readonly DecisionRow[]) {
  if (decisions.length === 0) return;
  const col = <K extends keyof DecisionRow>(k: K) => decisions.map((d) => d[k]);
  await client.query(
    `INSERT INTO decisions (id, customer_id, run_id, template, template_version, run_date, created, trace)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
     ON CONFLICT (id) DO UPDATE SET template_version = excluded.template_version, run_date = excluded.run_date,
       created = excluded.created, trace = excluded.trace`,
    [
      col("id"),
      col("customerId"),
      col("runId"),
      col("template"),
      col("templateVersion"),
      col("runDate"),
      col("created"),
      col("trace"),
    ],
  );
  await client.query("DELETE FROM decision_items WHERE decision_id = ANY($1::text[])", [col("id")]);
  await client.query("DELETE FROM link_tokens WHERE decision_id = ANY($1::text[])", [col("id")]);
  const items = decisions.flatMap((d) => d.items.map((item, position) => ({ decisionId: d.id, position, item })));
  if (items.length > 0)
    await client.query(
      `INSERT INTO decision_items (decision_id, position, offer_id, kind, slot, priority, marketing, valid_from,
         valid_to, experiment_id, variant, target)
       SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[],
         $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])`,
      [
        items.map((i) => i.decisionId),
        items.map((i) => i.position),
        items.map((i) => i.item.offerId),
        items.map((i) => i.item.kind),
        items.map((i) => i.item.slot),
        items.map((i) => i.item.priority),
        items.map((i) => (i.item.marketing ? 1 : 0)),
        items.map((i) => i.item.validFrom ?? null),
        items.map((i) => i.item.validTo ?? null),
        items.map((i) => i.item.experiment?.id ?? null),
        items.map((i) => i.item.experiment?.variant ?? null),
        items.map((i) => i.item.target ?? null),
      ],
    );
  // One row per token (the last decision given wins), as one upsert may not touch a row twice.
  const tokens = [
    ...new Map(decisions.flatMap((d) => d.links.map((t) => [t.token, { ...t, decision: d }] as const))).values(),
  ];
  if (tokens.length > 0)
    await client.query(
      `INSERT INTO link_tokens (token, decision_id, customer_id, offer_id, channel, purpose)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
       ON CONFLICT (token) DO UPDATE SET decision_id = excluded.decision_id, customer_id = excluded.customer_id,
         offer_id = excluded.offer_id, channel = excluded.channel, purpose = excluded.purpose`,
      [
        tokens.map((t) => t.token),
        tokens.map((t) => t.decision.id),
        tokens.map((t) => t.decision.customerId),
        tokens.map((t) => t.offerId ?? null),
        tokens.map((t) => t.channel),
        tokens.map((t) => t.purpose),
      ],
    );
}

/** Like `insertInteractions`: one statement, a pair already recorded or repeated within the call skipped. */
export async function insertResponses(
  client: pg.PoolClient,
  responses: readonly CustomerResponse[],
): Promise<Set<string>> {
  if (responses.length === 0) return new Set();
  const col = <K extends keyof CustomerResponse>(k: K) => responses.map((r) => r[k] ?? null);
  const r = await client.query(
    `INSERT INTO responses (customer_id, offer_id, response, channel, document_id, decision_id, at, source, source_id,
       note)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
       $8::text[], $9::text[], $10::text[])
     ON CONFLICT (source, source_id) DO NOTHING
     RETURNING source, source_id AS "sourceId"`,
    [
      col("customerId"),
      col("offerId"),
      col("response"),
      col("channel"),
      col("documentId"),
      col("decisionId"),
      col("at"),
      col("source"),
      col("sourceId"),
      col("note"),
    ],
  );
  return new Set(r.rows.map((row) => interactionKey({ source: String(row.source), sourceId: String(row.sourceId) })));
}

/** One statement; a pair already recorded, or repeated within the call, is skipped (unnest keeps the given order). */
export async function insertInteractions(
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

export async function audit(client: pg.PoolClient, entries: readonly AuditEntry[]) {
  if (entries.length === 0) return;
  const col = <K extends keyof AuditEntry>(k: K) => entries.map((e) => e[k] ?? null);
  await client.query(
    `INSERT INTO audit_trail (at, key_name, route, customer_id, action, document_id)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])`,
    [col("at"), col("keyName"), col("route"), col("customerId"), col("action"), col("documentId")],
  );
}
