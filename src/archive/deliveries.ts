import type { Dialect } from "./relationship.ts";
import type {
  Delivery,
  DeliveryChange,
  DeliveryChannel,
  DeliveryInput,
  DeliveryState,
  DeliveryStep,
  Suppression,
} from "./types.ts";

/**
 * The outbox's tables as both backends read and write them: the SQL (parameters `@name`, like the relationship's),
 * the rows as the archive gives them, and the checks on what callers hand in.
 */

/** A claim as the stores write it: checked, its id made, its times in UTC. */
export interface DeliveryRow {
  id: string;
  subject: string;
  channel: DeliveryChannel;
  customerId: string;
  address: string | null;
  documentId: string | null;
  fallbackOf: string | null;
  notBefore: string | null;
  at: string;
}

/** A move as the stores write it: `attempt` 1 or 0, unset values NULL (which keep what the row has). */
export interface DeliveryMove {
  id: string;
  from: DeliveryState[];
  state: DeliveryState;
  at: string;
  attempt: number;
  notBefore: string | null;
  gateway: string | null;
  gatewayId: string | null;
  detail: string | null;
}

/** Inserted only if its subject and channel were never claimed: the insert that wins is the claim. */
export const CLAIM_DELIVERY = `INSERT INTO deliveries (id, subject, channel, customer_id, address, document_id,
  fallback_of, not_before, state, attempts, created, updated)
  VALUES (@id, @subject, @channel, @customerId, @address, @documentId, @fallbackOf, @notBefore, 'pending', 0, @at, @at)
  ON CONFLICT (id) DO NOTHING RETURNING id`;

/** Compare and set: the row moves only from one of the states `@from`; a value not given keeps the row's. */
export const moveDelivery = (d: Dialect) => `UPDATE deliveries SET state = @state, updated = @at,
  attempts = attempts + @attempt, not_before = coalesce(@notBefore, not_before), gateway = coalesce(@gateway, gateway),
  gateway_id = coalesce(@gatewayId, gateway_id), detail = coalesce(@detail, detail)
  WHERE id = @id AND ${d.oneOf("state", "from")} RETURNING id`;

export const ADD_STEP = `INSERT INTO delivery_steps (delivery_id, at, state, detail) VALUES (@id, @at, @state, @detail)`;

const SELECT = `SELECT id, subject, channel, customer_id AS "customerId", address, document_id AS "documentId",
  fallback_of AS "fallbackOf", not_before AS "notBefore", state, attempts, gateway, gateway_id AS "gatewayId", detail,
  created AS "at", updated FROM deliveries`;

export const FIND_DELIVERY = `${SELECT} WHERE id = @id`;

/** A gateway's ids are its own: should one come back, the delivery that moved last is the one it means now. */
export const FIND_BY_GATEWAY_ID = `${SELECT} WHERE gateway = @gateway AND gateway_id = @gatewayId
  ORDER BY updated DESC, id LIMIT 1`;

export const LIST_DELIVERIES = `${SELECT} WHERE customer_id = @customerId ORDER BY created DESC, id DESC LIMIT @limit`;

/** The steps of the deliveries `@ids`, each delivery's in the order they were recorded (which compare and set made). */
export const selectSteps = (d: Dialect) => `SELECT delivery_id AS "deliveryId", at, state, detail FROM delivery_steps
  WHERE ${d.oneOf("delivery_id", "ids")} ORDER BY delivery_id, seq`;

export const PRINT_QUEUE = `${SELECT} WHERE channel = 'print' AND state = 'pending' ORDER BY created, id LIMIT @limit`;

/** The first suppression of an address stands: its reason is why the address stopped. */
export const SUPPRESS = `INSERT INTO suppressions (channel, address, reason, at, delivery_id)
  VALUES (@channel, @address, @reason, @at, @deliveryId) ON CONFLICT (channel, address) DO NOTHING`;

export const FIND_SUPPRESSION = `SELECT channel, address, reason, at, delivery_id AS "deliveryId" FROM suppressions
  WHERE channel = @channel AND address = @address`;

type Row = Record<string, unknown>;

/** Present values only: a NULL column is an absent property. */
const present = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v != null));

export function toDelivery(row: Row): Delivery {
  return {
    id: String(row.id),
    subject: String(row.subject),
    channel: String(row.channel) as DeliveryChannel,
    customerId: String(row.customerId),
    ...present({
      address: row.address,
      documentId: row.documentId,
      fallbackOf: row.fallbackOf,
      notBefore: row.notBefore,
    }),
    at: String(row.at),
    state: String(row.state) as DeliveryState,
    attempts: Number(row.attempts),
    ...present({ gateway: row.gateway, gatewayId: row.gatewayId, detail: row.detail }),
    updated: String(row.updated),
  };
}

/** Deliveries (newest first) with the step rows of all of them, each given its own. */
export function withSteps(deliveries: Row[], stepRows: Row[]): (Delivery & { steps: DeliveryStep[] })[] {
  const steps = new Map<string, DeliveryStep[]>();
  for (const row of stepRows) {
    const step = {
      deliveryId: String(row.deliveryId),
      at: String(row.at),
      state: String(row.state) as DeliveryState,
      ...present({ detail: row.detail }),
    };
    steps.set(step.deliveryId, [...(steps.get(step.deliveryId) ?? []), step]);
  }
  return deliveries.map((row) => ({ ...toDelivery(row), steps: steps.get(String(row.id)) ?? [] }));
}

export function toSuppression(row: Row): Suppression {
  return {
    channel: String(row.channel) as DeliveryChannel,
    address: String(row.address),
    reason: String(row.reason),
    at: String(row.at),
    ...present({ deliveryId: row.deliveryId }),
  };
}

const CHANNELS: ReadonlySet<string> = new Set<DeliveryChannel>(["email", "sms", "print"]);
const STATES: ReadonlySet<string> = new Set<DeliveryState>([
  "pending",
  "sending",
  "sent",
  "delivered",
  "deferred",
  "bounced",
  "failed",
  "uncertain",
  "fallen-back",
]);

/** Callers are the outbox and its gateways: what is wrong here is a bug there, so it throws. */
function text(value: unknown, what: string): string {
  if (typeof value !== "string" || value === "") throw new TypeError(`archive: ${what} must be a non-empty string`);
  return value;
}

const optional = (value: unknown, what: string): string | null => (value === undefined ? null : text(value, what));

/** Stored in UTC, so that ordering by the text orders by the instant. */
function utc(value: unknown, what: string): string {
  const at = new Date(text(value, what));
  if (Number.isNaN(at.getTime())) throw new TypeError(`archive: ${what} "${value}" is not an ISO date-time`);
  return at.toISOString();
}

function channel(value: unknown): DeliveryChannel {
  if (!CHANNELS.has(value as string)) throw new TypeError(`archive: "${value}" is not a delivery channel`);
  return value as DeliveryChannel;
}

function state(value: unknown): DeliveryState {
  if (!STATES.has(value as string)) throw new TypeError(`archive: "${value}" is not a delivery state`);
  return value as DeliveryState;
}

/** The claim checked, without its id (the archive's to make). */
export function describeDelivery(d: DeliveryInput): Omit<DeliveryRow, "id"> {
  const row = {
    subject: text(d.subject, "subject"),
    channel: channel(d.channel),
    customerId: text(d.customerId, "customerId"),
    address: optional(d.address, "address"),
    documentId: optional(d.documentId, "documentId"),
    fallbackOf: optional(d.fallbackOf, "fallbackOf"),
    notBefore: d.notBefore === undefined ? null : utc(d.notBefore, "notBefore"),
    at: utc(d.at, "at"),
  };
  // An email or text without an address is claimed too: it fails at once (the customer has no mobile), and the
  // timeline and the fallback see it.
  return row;
}

export function describeMove(id: string, from: readonly DeliveryState[], c: DeliveryChange): DeliveryMove {
  if (!Array.isArray(from) || from.length === 0) throw new TypeError("archive: a move names the states it moves from");
  if (c.attempt !== undefined && typeof c.attempt !== "boolean")
    throw new TypeError("archive: attempt must be a boolean");
  return {
    id: text(id, "delivery id"),
    from: from.map(state),
    state: state(c.state),
    at: utc(c.at, "at"),
    attempt: c.attempt ? 1 : 0,
    notBefore: c.notBefore === undefined ? null : utc(c.notBefore, "notBefore"),
    gateway: optional(c.gateway, "gateway"),
    gatewayId: optional(c.gatewayId, "gatewayId"),
    detail: optional(c.detail, "detail"),
  };
}

/** Email addresses compare case-insensitively, so they are kept lower case; a mobile number is kept as given. */
export function suppressedAddress(on: DeliveryChannel, address: string): string {
  return channel(on) === "email" ? text(address, "address").toLowerCase() : text(address, "address");
}

export function describeSuppression(s: Suppression): Suppression {
  return {
    channel: channel(s.channel),
    address: suppressedAddress(s.channel, s.address),
    reason: text(s.reason, "reason"),
    at: utc(s.at, "at"),
    ...(s.deliveryId !== undefined && { deliveryId: text(s.deliveryId, "deliveryId") }),
  };
}
