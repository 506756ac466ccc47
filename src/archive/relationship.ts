import type { CustomerHistory, HistoryInteraction, OfferResponse, PastOffer } from "../decide/index.ts";
import type {
  CustomerResponse,
  DecisionItemInput,
  DecisionItemOfRecord,
  DecisionOfRecord,
  LinkToken,
  OfferStats,
  ResolvedLink,
} from "./types.ts";

/**
 * The relationship's reads (decisions of record, links, responses, statistics, histories), written once in the
 * SQL both backends speak. Parameters are `@name`: SQLite binds them by name, PostgreSQL gets them numbered
 * (see `numbered`). Only lists of ids and JSON arrays differ, through the dialect.
 */
export interface Dialect {
  /** Whether `expr` is one of the list parameter `@name`. */
  oneOf(expr: string, name: string): string;
  /** A JSON array of `expr` over the rows where `where` holds, ordered by `order`: `[]` when none. */
  array(expr: string, order: string, where: string): string;
}

export const SQLITE_DIALECT: Dialect = {
  oneOf: (expr, name) => `${expr} IN (SELECT value FROM json_each(@${name}))`,
  array: (expr, order, where) => `json_group_array(${expr} ORDER BY ${order}) FILTER (WHERE ${where})`,
};

export const POSTGRES_DIALECT: Dialect = {
  // `= ANY` of an array, not `IN` a set: the planner then knows how many ids there are and takes the index.
  oneOf: (expr, name) => `${expr} = ANY(CAST(@${name} AS text[]))`,
  array: (expr, order, where) => `coalesce(json_agg(${expr} ORDER BY ${order}) FILTER (WHERE ${where}), '[]'::json)`,
};

/** `@name` parameters as PostgreSQL's `$1…`, and the names in the order to pass their values. */
export function numbered(sql: string): { text: string; names: string[] } {
  const names: string[] = [];
  const text = sql.replace(/@([a-zA-Z][a-zA-Z0-9]*)/g, (_, name: string) => {
    if (!names.includes(name)) names.push(name);
    return `$${names.indexOf(name) + 1}`;
  });
  return { text, names };
}

/** A decision row as the stores write it: the input checked, its id made and its trace as JSON text. */
export interface DecisionRow {
  id: string;
  customerId: string;
  runId: string;
  template: string;
  templateVersion: string;
  runDate: string;
  created: string;
  trace: string;
  items: readonly DecisionItemInput[];
  links: readonly LinkToken[];
}

/** The documents of a decision: those of its run, customer and template (`dec` and `d` in the queries). */
const SAME_COMPOSITION = "d.run_id = dec.run_id AND d.customer_id = dec.customer_id AND d.template = dec.template";

/**
 * Document `d` carries item `i`. A subquery, so both planners find the composition's few documents first and
 * look each one's offers up by its key, rather than every document that ever carried the offer.
 */
const CARRIES = "EXISTS (SELECT 1 FROM document_offers o WHERE o.document_id = d.id AND o.offer_id = i.offer_id)";

export const SELECT_DECISIONS = `SELECT id, customer_id AS "customerId", run_id AS "runId", template,
  template_version AS "templateVersion", run_date AS "runDate", created, trace
  FROM decisions WHERE customer_id = @customerId ORDER BY run_date DESC, created DESC, id LIMIT @limit`;

/** The items of the decisions `@ids`, each with the channels and documents that carried it. */
export const selectDecisionItems = (d: Dialect) => `SELECT i.decision_id AS "decisionId", i.position,
  i.offer_id AS "offerId", i.kind, i.slot, i.priority, i.marketing, i.valid_from AS "validFrom",
  i.valid_to AS "validTo", i.experiment_id AS "experimentId", i.variant, i.target,
  ${d.array("d.channel", "d.channel", "d.id IS NOT NULL")} AS channels,
  ${d.array("d.id", "d.channel", "d.id IS NOT NULL")} AS "documentIds"
  FROM decision_items i JOIN decisions dec ON dec.id = i.decision_id
  LEFT JOIN documents d ON ${SAME_COMPOSITION} AND ${CARRIES}
  -- The decisions by their ids too: with statistics not yet gathered after a bulk load, PostgreSQL otherwise
  -- scanned every decision for the join (1.3 s for one customer among 100,000, 9 ms with this).
  WHERE ${d.oneOf("dec.id", "ids")} AND ${d.oneOf("i.decision_id", "ids")}
  GROUP BY i.decision_id, i.position
  ORDER BY i.decision_id, i.position`;

export const RESOLVE_LINK = `SELECT t.token, t.purpose, t.customer_id AS "customerId", t.channel,
  t.decision_id AS "decisionId", t.offer_id AS "offerId", i.target, d.id AS "documentId"
  FROM link_tokens t JOIN decisions dec ON dec.id = t.decision_id
  LEFT JOIN decision_items i ON i.decision_id = t.decision_id AND i.offer_id = t.offer_id
  LEFT JOIN documents d ON ${SAME_COMPOSITION} AND d.channel = t.channel
  WHERE t.token = @token`;

const RESPONSE_COLUMNS = `customer_id AS "customerId", offer_id AS "offerId", response, channel,
  document_id AS "documentId", decision_id AS "decisionId", at, source, source_id AS "sourceId", note`;

export const SELECT_RESPONSES = `SELECT ${RESPONSE_COLUMNS} FROM responses
  WHERE customer_id = @customerId ORDER BY at DESC, seq DESC LIMIT @limit`;

/** A filter's bound: an unset one (NULL) lets everything through. */
export const unless = (param: string, condition: string) => `(CAST(@${param} AS TEXT) IS NULL OR ${condition})`;

/**
 * Per offer, channel and variant, in one aggregate: a row per document carrying an offer (its variant from the
 * decision of its composition) and a row per response (its variant from the decision it names, else the
 * customer's latest decision carrying the offer made on or before it), summed.
 */
export const OFFER_STATS = `SELECT offer_id AS "offerId", channel, experiment_id AS "experimentId", variant,
  sum(sent) AS sent, sum(clicked) AS clicked, sum(accepted) AS accepted, sum(declined) AS declined,
  sum(not_now) AS "notNow"
  FROM (
    SELECT o.offer_id, d.channel, i.experiment_id, i.variant,
      1 AS sent, 0 AS clicked, 0 AS accepted, 0 AS declined, 0 AS not_now
    FROM documents d JOIN document_offers o ON o.document_id = d.id
    LEFT JOIN decisions dec ON ${SAME_COMPOSITION}
    LEFT JOIN decision_items i ON i.decision_id = dec.id AND i.offer_id = o.offer_id
    WHERE ${unless("from", "coalesce(dec.run_date, substr(d.created, 1, 10)) >= @from")}
      AND ${unless("to", "coalesce(dec.run_date, substr(d.created, 1, 10)) <= @to")}
      AND ${unless("offer", "o.offer_id = @offer")}
    UNION ALL
    SELECT r.offer_id, r.channel, i.experiment_id, i.variant, 0,
      CASE WHEN r.response = 'clicked' THEN 1 ELSE 0 END, CASE WHEN r.response = 'accepted' THEN 1 ELSE 0 END,
      CASE WHEN r.response = 'declined' THEN 1 ELSE 0 END, CASE WHEN r.response = 'not-now' THEN 1 ELSE 0 END
    FROM responses r
    LEFT JOIN decision_items i ON i.offer_id = r.offer_id AND i.decision_id = coalesce(r.decision_id,
      (SELECT dec.id FROM decisions dec JOIN decision_items di ON di.decision_id = dec.id AND di.offer_id = r.offer_id
       WHERE dec.customer_id = r.customer_id AND dec.run_date <= substr(r.at, 1, 10)
       ORDER BY dec.run_date DESC, dec.created DESC LIMIT 1))
    WHERE r.offer_id IS NOT NULL AND r.response <> 'opted-out'
      AND ${unless("from", "r.at >= @from")} AND ${unless("before", "r.at < @before")}
      AND ${unless("offer", "r.offer_id = @offer")}
  ) t
  GROUP BY offer_id, channel, experiment_id, variant
  ORDER BY offer_id, coalesce(channel, ''), coalesce(experiment_id, ''), coalesce(variant, '')`;

/** The histories' three reads: `@ids` the customers, events before `@before`, offers of runs up to `@day`. */
export const historyQueries = (d: Dialect) => ({
  interactions: `SELECT customer_id AS "customerId", source, source_id AS "sourceId", at, channel, topic, outcome
    FROM interactions WHERE ${d.oneOf("customer_id", "ids")} AND at < @before
    ORDER BY customer_id, at DESC, seq DESC`,
  responses: `SELECT ${RESPONSE_COLUMNS} FROM responses WHERE ${d.oneOf("customer_id", "ids")} AND at < @before
    ORDER BY customer_id, at DESC, seq DESC`,
  offers: `SELECT dec.customer_id AS "customerId", dec.run_date AS "runDate", i.offer_id AS "offerId", i.marketing,
    ${d.array("d.channel", "d.channel", "d.id IS NOT NULL")} AS channels
    FROM decisions dec JOIN decision_items i ON i.decision_id = dec.id
    JOIN documents d ON ${SAME_COMPOSITION} AND ${CARRIES}
    WHERE ${d.oneOf("dec.customer_id", "ids")} AND dec.run_date <= @day AND ${unless("exceptRun", "dec.run_id <> @exceptRun")}
    GROUP BY i.decision_id, i.position, dec.id
    ORDER BY dec.customer_id, dec.run_date DESC, dec.created DESC, i.position`,
});

type Row = Record<string, unknown>;

const text = (v: unknown): string | undefined => (v == null ? undefined : String(v));
/** JSON comes as text from SQLite and parsed from PostgreSQL. */
const json = <T>(v: unknown): T => (typeof v === "string" ? JSON.parse(v) : v) as T;

export function toDecision(row: Row, items: DecisionItemOfRecord[]): DecisionOfRecord {
  return {
    id: String(row.id),
    customerId: String(row.customerId),
    runId: String(row.runId),
    template: String(row.template),
    templateVersion: String(row.templateVersion),
    runDate: String(row.runDate),
    created: String(row.created),
    items,
    trace: json(row.trace),
  };
}

export function toDecisionItem(row: Row): DecisionItemOfRecord {
  const experimentId = text(row.experimentId);
  const variant = text(row.variant);
  const [validFrom, validTo, target] = [text(row.validFrom), text(row.validTo), text(row.target)];
  return {
    position: Number(row.position),
    offerId: String(row.offerId),
    kind: String(row.kind),
    slot: String(row.slot),
    priority: Number(row.priority),
    marketing: Number(row.marketing) === 1,
    ...(validFrom !== undefined && { validFrom }),
    ...(validTo !== undefined && { validTo }),
    ...(experimentId !== undefined && variant !== undefined && { experiment: { id: experimentId, variant } }),
    ...(target !== undefined && { target }),
    channels: json(row.channels),
    documentIds: json(row.documentIds),
  };
}

/** Decisions (newest first) with the item rows of all of them, each decision given its own. */
export function withItems(decisions: Row[], itemRows: Row[]): DecisionOfRecord[] {
  const items = new Map<string, DecisionItemOfRecord[]>();
  for (const row of itemRows) {
    const id = String(row.decisionId);
    items.set(id, [...(items.get(id) ?? []), toDecisionItem(row)]);
  }
  return decisions.map((row) => toDecision(row, items.get(String(row.id)) ?? []));
}

export function toResolvedLink(row: Row): ResolvedLink {
  const [documentId, offerId, target] = [text(row.documentId), text(row.offerId), text(row.target)];
  return {
    token: String(row.token),
    purpose: row.purpose === "unsubscribe" ? "unsubscribe" : "offer",
    customerId: String(row.customerId),
    channel: String(row.channel),
    decisionId: String(row.decisionId),
    ...(documentId !== undefined && { documentId }),
    ...(offerId !== undefined && { offerId }),
    ...(target !== undefined && { target }),
  };
}

export function toResponse(row: Row): CustomerResponse {
  const optional = { offerId: text(row.offerId), channel: text(row.channel), documentId: text(row.documentId) };
  const more = { decisionId: text(row.decisionId), note: text(row.note) };
  return {
    customerId: String(row.customerId),
    response: String(row.response) as CustomerResponse["response"],
    at: String(row.at),
    source: String(row.source),
    sourceId: String(row.sourceId),
    ...Object.fromEntries(Object.entries({ ...optional, ...more }).filter(([, v]) => v !== undefined)),
  };
}

export function toOfferStats(row: Row): OfferStats {
  const experimentId = text(row.experimentId);
  const variant = text(row.variant);
  return {
    offerId: String(row.offerId),
    channel: text(row.channel) ?? null,
    ...(experimentId !== undefined && variant !== undefined && { experiment: { id: experimentId, variant } }),
    sent: Number(row.sent),
    clicked: Number(row.clicked),
    accepted: Number(row.accepted),
    declined: Number(row.declined),
    notNow: Number(row.notNow),
  };
}

/** Rows of the three history reads (each ordered by customer, newest first) as one history per customer asked. */
export function toHistories(
  customerIds: readonly string[],
  rows: { interactions: Row[]; responses: Row[]; offers: Row[] },
): Map<string, CustomerHistory> {
  const histories = new Map<
    string,
    {
      interactions: HistoryInteraction[];
      responses: OfferResponse[];
      offers: PastOffer[];
      optOuts: { at: string; source: string; sourceId: string }[];
    }
  >();
  for (const id of customerIds) histories.set(id, { interactions: [], responses: [], offers: [], optOuts: [] });
  for (const r of rows.interactions) {
    const outcome = text(r.outcome);
    histories.get(String(r.customerId))?.interactions.push({
      at: String(r.at),
      source: String(r.source),
      sourceId: String(r.sourceId),
      channel: String(r.channel),
      topic: String(r.topic),
      ...(outcome !== undefined && { outcome }),
    });
  }
  for (const row of rows.responses) {
    const r = toResponse(row);
    const h = histories.get(r.customerId);
    if (r.response === "opted-out") h?.optOuts.push({ at: r.at, source: r.source, sourceId: r.sourceId });
    else if (r.offerId !== undefined)
      h?.responses.push({
        at: r.at,
        offerId: r.offerId,
        response: r.response,
        source: r.source,
        sourceId: r.sourceId,
        ...(r.channel !== undefined && { channel: r.channel }),
      });
  }
  for (const r of rows.offers)
    histories.get(String(r.customerId))?.offers.push({
      at: `${String(r.runDate)}T00:00:00.000Z`,
      offerId: String(r.offerId),
      marketing: Number(r.marketing) === 1,
      channels: json(r.channels),
    });
  return histories;
}
