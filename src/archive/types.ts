import type { CustomerHistory, ResponseKind } from "../decide/index.ts";
import type { CustomerInteraction } from "../interactions/index.ts";
import type { OfferCounts } from "../offers/index.ts";
import type { ProofSet, Release, ReleaseContent, ReleaseState, ReleaseStep } from "../releases/types.ts";

/** One document as a batch run or the API hands it to the archive. */
export interface DocumentInput {
  customerId: string;
  template: string;
  templateVersion: string;
  /** `pdf`, `email` or `sms`. */
  channel: string;
  /** The batch run id, or the API request's own run id. */
  runId: string;
  /** When it was made, as an ISO 8601 date or timestamp chosen by the caller (the archive never reads the clock). */
  created: string;
  /** Offer and message ids the decision put in this document, in slot order. */
  offerIds: readonly string[];
  /** `application/pdf`, `message/rfc822`, `application/json` (SMS). */
  contentType: string;
  bytes: Uint8Array;
  /** Who made it: the name of the API key; absent for a billing run, whose runId names it. */
  madeBy?: string;
  /** Where the profile the document was composed from came from (default `record`). */
  profileSource?: ProfileSource;
  /**
   * A new profile of record for the customer, kept (latest wins) so the customer can be re-rendered by id.
   * Only from a billing run's extract or a caller allowed to write it; never with profileSource `caller`.
   */
  profile?: unknown;
  /** The release (content hash) the document was composed with, when the run or request used one. */
  release?: string;
}

/**
 * `record`: the customer's profile of record (a billing run's extract, the archive's own, or one a caller
 * allowed to write it sent); `caller`: a profile a caller sent that did not become the record, so a document
 * made from it is no evidence of what the customer's record says.
 */
export type ProfileSource = "record" | "caller";

/** What the archive keeps about one document: everything but the bytes, which live on disk by their hash. */
export interface ArchivedDocument {
  /**
   * Derived from run, customer, template and channel: recording the same document twice (a retried batch
   * job) replaces it instead of adding a copy.
   */
  id: string;
  customerId: string;
  template: string;
  templateVersion: string;
  channel: string;
  runId: string;
  /** Normalised to UTC, `2026-11-01T00:00:00.000Z`. */
  created: string;
  offerIds: string[];
  contentType: string;
  sha256: string;
  size: number;
  madeBy?: string;
  profileSource: ProfileSource;
  release?: string;
}

/** One read or write of a customer's documents or profile of record, by one API key. */
export interface AuditEntry {
  /** ISO 8601 timestamp from the caller's clock. */
  at: string;
  keyName: string;
  /** Method and route pattern, `GET /v1/customers/:id/documents`. */
  route: string;
  customerId: string;
  action: "read" | "write";
  documentId?: string;
}

/** What recording an interaction did: `added`, or false when its source and sourceId were already recorded. */
export interface InteractionReceipt {
  source: string;
  sourceId: string;
  added: boolean;
}

/** The answer an idempotent request gave, to give again to a retry with the same key. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** A request's claim on its idempotency key; times are ISO 8601 from the caller's clock. */
export interface RequestClaim {
  /** The API key's name: idempotency keys are scoped per caller. */
  keyName: string;
  idempotencyKey: string;
  /** A hash of what the request asks (method, route, body): a retry must ask the same. */
  requestHash: string;
  now: string;
  /** Until when the claim holds if the request never answers (a crash): then another request may take it. */
  expires: string;
}

/** Either this request holds the key now, or an earlier one does: its hash, and its answer once it has one. */
export type ClaimOutcome = { claimed: true } | { claimed: false; requestHash: string; response?: StoredResponse };

export interface ListOptions {
  /** At most this many documents (or interactions, or audit entries), newest first (default 200). */
  limit?: number;
}

/** What a tracked link's token stands for: an offer's call to action, or the one-click unsubscribe. */
export type LinkPurpose = "offer" | "unsubscribe";

/**
 * A token a document's link carries (`${trackBase}/${token}`, `unsubscribeBase?t=${token}`): a keyed hash made
 * by the view, so the archive resolves it by lookup and never needs the key.
 */
export interface LinkToken {
  token: string;
  purpose: LinkPurpose;
  /** The channel whose document carries the link (`pdf`, `email`, `sms`). */
  channel: string;
  /** The offer the link leads to; absent for `unsubscribe`. */
  offerId?: string;
}

/** One line of a decision's trace as the decision of record keeps it. */
export interface DecisionTraceEntry {
  id: string;
  slot: string;
  chosen: boolean;
  rule: string;
  reason: string;
  /** The history event that fired the rule, kept as given (kind, at, source, sourceId, offerId). */
  event?: Readonly<Record<string, unknown>>;
}

/** One chosen item of a decision of record, as the composition hands it in. */
export interface DecisionItemInput {
  offerId: string;
  /** `offer`, `service` or `regulatory`. */
  kind: string;
  /** `hero`, `secondary` or `notice`. */
  slot: string;
  priority: number;
  marketing: boolean;
  /** The catalogue's validity, ISO `YYYY-MM-DD`, when it has one. */
  validFrom?: string;
  validTo?: string;
  experiment?: { id: string; variant: string };
  /** The offer's own URL with its campaign parameters, where a tracked link redirects; absent without a call to action. */
  target?: string;
}

/**
 * The decision a composition made, to be kept with its documents: the items in slot order, the trace summary
 * and the tokens of the links its documents carry. Its id comes from run, customer and template, like a
 * document's: recording it again (a retried job) replaces it, items and tokens included.
 */
export interface DecisionInput {
  customerId: string;
  runId: string;
  template: string;
  templateVersion: string;
  /** The run date the decision was made for, ISO `YYYY-MM-DD`. */
  runDate: string;
  /** When it was made, chosen by the caller (the archive never reads the clock). */
  created: string;
  /** Chosen items in slot order (hero, secondary, notice). */
  items: readonly DecisionItemInput[];
  trace: readonly DecisionTraceEntry[];
  /** Every token the documents of this composition carry, in every channel. */
  links: readonly LinkToken[];
}

/** An item of a decision of record, with where it went out. */
export interface DecisionItemOfRecord extends DecisionItemInput {
  /** Its place in slot order, from 0. */
  position: number;
  /** The channels whose documents (of the same run, customer and template) carried it. */
  channels: string[];
  /** Those documents' ids, in channel order. */
  documentIds: string[];
}

/** A decision as the archive keeps it. */
export interface DecisionOfRecord {
  id: string;
  customerId: string;
  runId: string;
  template: string;
  templateVersion: string;
  runDate: string;
  /** Normalised to UTC. */
  created: string;
  items: DecisionItemOfRecord[];
  trace: DecisionTraceEntry[];
}

/** What a token stands for: the customer, the offer (or unsubscribe), the channel and document that carried it. */
export interface ResolvedLink {
  token: string;
  purpose: LinkPurpose;
  customerId: string;
  channel: string;
  decisionId: string;
  /** The document of that channel in the decision's run, when it was recorded. */
  documentId?: string;
  offerId?: string;
  /** Where an offer link redirects: only ever a URL the catalogue named, kept in the decision of record. */
  target?: string;
}

/** What a customer did about an offer (a click, an answer from any system), or a marketing opt-out. */
export type CustomerResponseKind = ResponseKind | "opted-out";

/**
 * One response, as a tracked link or another system reports it. `source` and `sourceId` name it there: the same
 * pair is the same response, recorded once.
 */
export interface CustomerResponse {
  customerId: string;
  /** The offer answered; absent for an opt-out. */
  offerId?: string;
  response: CustomerResponseKind;
  /** ISO 8601 date-time; kept normalised to UTC. */
  at: string;
  source: string;
  sourceId: string;
  /** The channel of the document it answers, when known (a tracked link knows it). */
  channel?: string;
  documentId?: string;
  decisionId?: string;
  /** Free text from the reporting system: personal data, never logged. */
  note?: string;
}

/** What recording a response did: `added`, or false when its source and sourceId were already recorded. */
export type ResponseReceipt = InteractionReceipt;

/** Which part of the record statistics count; dates are ISO `YYYY-MM-DD`, both ends included. */
export interface OfferStatsFilter {
  /** Documents of decisions with a run date from this day, and responses from this day (UTC). */
  from?: string;
  to?: string;
  offerId?: string;
}

/**
 * How one offer did in one channel and A/B variant. `sent` counts documents that carried it; responses count
 * in the channel they name (null when the reporting system did not say) and in the variant of the decision they
 * answer (the one a tracked link names, else the customer's latest decision of record carrying the offer made
 * on or before the response).
 */
export type OfferStats = OfferCounts;

/** The channel a delivery goes by: a letter is a delivery too (it joins the next print batch). */
export type DeliveryChannel = "email" | "sms" | "print";

/**
 * Where a delivery stands. `pending`: claimed, not yet handed over (waiting for quiet hours, a retry, or the
 * print batch). `sending`: being handed over now; a delivery found still `sending` by a retried job may or may not
 * have left, so it becomes `uncertain` and is never sent again. `sent`: the gateway took it. `delivered`: the
 * network says it arrived. `deferred`: a temporary failure, retried with back-off. `bounced`: a permanent email
 * failure. `failed`: an SMS that will not arrive, a refusal, or retries given up. `fallen-back`: undelivered, and
 * its fallback delivery was made.
 */
export type DeliveryState =
  | "pending"
  | "sending"
  | "sent"
  | "delivered"
  | "deferred"
  | "bounced"
  | "failed"
  | "uncertain"
  | "fallen-back";

/** One message to send, as the outbox claims it. */
export interface DeliveryInput {
  /**
   * What it delivers: `event:<event id>` for a triggered message, `document:<document id>` for a document sent
   * on its own. With the channel, what makes it one delivery: claiming it again finds the first claim.
   */
  subject: string;
  channel: DeliveryChannel;
  customerId: string;
  /** The email address or E.164 mobile it goes to; absent for print (the postal address is the document's). */
  address?: string;
  /** The archived document it sends. */
  documentId?: string;
  /** The delivery this one stands in for, when it is a fallback. */
  fallbackOf?: string;
  /** Not handed over before this instant (quiet hours), ISO 8601. */
  notBefore?: string;
  /** When it was claimed, from the caller's clock. */
  at: string;
}

export interface Delivery extends DeliveryInput {
  /** Derived from subject and channel. */
  id: string;
  state: DeliveryState;
  /** Hand-overs tried so far. */
  attempts: number;
  gateway?: string;
  gatewayId?: string;
  /** The last thing the gateway or the network said, for a person. */
  detail?: string;
  /** When its state last changed (UTC). */
  updated: string;
}

/** A move of a delivery to another state, with what caused it. */
export interface DeliveryChange {
  state: DeliveryState;
  /** From the caller's clock (or the report's own time). */
  at: string;
  gateway?: string;
  gatewayId?: string;
  detail?: string;
  /** Counts a hand-over attempt (the move to `sending`). */
  attempt?: boolean;
  /** A new earliest hand-over time (a retry's back-off). */
  notBefore?: string;
}

/** One step in a delivery's life, as the timeline shows it. */
export interface DeliveryStep {
  deliveryId: string;
  at: string;
  state: DeliveryState;
  detail?: string;
}

/** An address that takes no more messages on a channel (a hard bounce), and why. */
export interface Suppression {
  channel: DeliveryChannel;
  /** Email addresses are kept lower case. */
  address: string;
  reason: string;
  at: string;
  /** The delivery whose bounce caused it. */
  deliveryId?: string;
}

export interface HistoryOptions {
  /**
   * The run that asks: decisions of record it made itself (an earlier attempt of a resumed run) are not its
   * history, so a resumed run decides as the first attempt did.
   */
  exceptRun?: string;
}

/**
 * Every document sent to every customer, by any run or request: the single customer view.
 * Both backends (SQLite, PostgreSQL) behave the same; the shared contract test suite holds them to it.
 * A call that fails because the database cannot be reached rejects with an `ArchiveUnavailableError`.
 */
export interface Archive {
  /** `sqlite:` or `postgres:`, for health checks and logs (never the credentials). */
  readonly kind: "sqlite" | "postgres";
  /**
   * A document, the audit entries of the request that made it and the decision of record it shows, in one
   * transaction.
   */
  record(doc: DocumentInput, audit?: readonly AuditEntry[], decision?: DecisionInput): Promise<ArchivedDocument>;
  /**
   * Many documents (and audit entries, and the decisions of record they show) in one transaction: all of them
   * are recorded, or none. A decision recorded again (same run, customer and template) replaces the earlier one.
   */
  recordMany(
    docs: readonly DocumentInput[],
    audit?: readonly AuditEntry[],
    decisions?: readonly DecisionInput[],
  ): Promise<ArchivedDocument[]>;
  /**
   * A customer's decisions of record, newest run date first, each with its items in slot order and, per item,
   * the channels and documents (of the same run, customer and template) that carried it.
   */
  decisionsOfRecord(customerId: string, options?: ListOptions): Promise<DecisionOfRecord[]>;
  /** What a link's token stands for; undefined for a token no recorded decision made (unknown or tampered). */
  resolveLink(token: string): Promise<ResolvedLink | undefined>;
  /** A customer's documents, newest first, each with its offers. */
  list(customerId: string, options?: ListOptions): Promise<ArchivedDocument[]>;
  get(documentId: string): Promise<{ document: ArchivedDocument; bytes: Uint8Array } | undefined>;
  /**
   * Interactions (and the audit entries of the request that sent them) in one transaction. One whose source and
   * sourceId are already recorded changes nothing, whatever it says now: the first report of a contact stands.
   * Receipts are in the order given; of repeats within the call, the first is the one added.
   */
  recordInteractions(
    interactions: readonly CustomerInteraction[],
    audit?: readonly AuditEntry[],
  ): Promise<InteractionReceipt[]>;
  /** A customer's interactions, newest first (`at` normalised to UTC). */
  interactions(customerId: string, options?: ListOptions): Promise<CustomerInteraction[]>;
  /**
   * Responses (and the audit entries of the request that sent them) in one transaction, exactly as
   * `recordInteractions`: a (source, sourceId) already recorded changes nothing; receipts in the order given.
   */
  recordResponses(responses: readonly CustomerResponse[], audit?: readonly AuditEntry[]): Promise<ResponseReceipt[]>;
  /** A customer's responses and opt-outs, newest first (`at` normalised to UTC). */
  responses(customerId: string, options?: ListOptions): Promise<CustomerResponse[]>;
  /** Per offer, channel and A/B variant: documents sent and responses by kind, in one aggregate query. */
  offerStats(filter?: OfferStatsFilter): Promise<OfferStats[]>;
  /**
   * Many customers' histories in a few queries, as `decide` reads them: interactions, responses, opt-outs and
   * past offers (with the channels they went out on) at or before `upTo` (an ISO date means through that day,
   * UTC). Every id asked for has an entry; a customer the archive does not know has an empty history.
   */
  histories(
    customerIds: readonly string[],
    upTo: string,
    options?: HistoryOptions,
  ): Promise<Map<string, CustomerHistory>>;
  /**
   * The outbox's commit point: records the delivery as `pending` unless its subject and channel were claimed
   * before. Of concurrent claims exactly one wins; the others get the delivery as it stands.
   */
  claimDelivery(delivery: DeliveryInput): Promise<{ claimed: boolean; delivery: Delivery }>;
  /**
   * Moves a delivery to another state only if it is in one of `from` (compare and set), recording the step;
   * false when it was in none of them (another worker moved it first).
   */
  moveDelivery(id: string, from: readonly DeliveryState[], change: DeliveryChange): Promise<boolean>;
  delivery(id: string): Promise<Delivery | undefined>;
  /** The delivery a gateway knows by its own id (a Message-ID, an SMS id). */
  deliveryByGatewayId(gateway: string, gatewayId: string): Promise<Delivery | undefined>;
  /** A customer's deliveries, newest first, each with its steps oldest first. */
  deliveries(customerId: string, options?: ListOptions): Promise<(Delivery & { steps: DeliveryStep[] })[]>;
  /** Letters waiting for the next print batch (`print` deliveries still `pending`), oldest first. */
  printQueue(options?: ListOptions): Promise<Delivery[]>;
  /** Stops a channel for an address; suppressing it again keeps the first reason. */
  suppress(entry: Suppression): Promise<void>;
  /** The suppression of an address on a channel, if any (email compared case-insensitively). */
  suppression(channel: DeliveryChannel, address: string): Promise<Suppression | undefined>;
  /** The last profile recorded for a customer, as it was given. */
  lastProfile(customerId: string): Promise<unknown | undefined>;
  /**
   * The customers whose last profile of record carries this account number (`account.number`), most recently
   * updated first: one, as a rule, or none.
   */
  customersByAccount(accountNumber: string): Promise<string[]>;
  /** Records reads (or writes) of customers' data. */
  audit(entries: readonly AuditEntry[]): Promise<void>;
  /** Who read or wrote a customer's documents, newest first. */
  auditTrail(customerId: string, options?: ListOptions): Promise<AuditEntry[]>;
  /**
   * Claims an idempotency key for a request, atomically: of concurrent claims exactly one wins. A claim
   * whose `expires` has passed is taken over, and expired ones are swept.
   */
  claimRequest(claim: RequestClaim): Promise<ClaimOutcome>;
  /** Keeps the answer of the request holding the key, until `expires`. */
  answerRequest(keyName: string, idempotencyKey: string, response: StoredResponse, expires: string): Promise<void>;
  /** Lets the key go (the request failed in a way a retry may not): the next request with it runs afresh. */
  releaseRequest(keyName: string, idempotencyKey: string): Promise<void>;
  /**
   * Removes temporary files and blobs no document points at, of files last modified before `before` (what a
   * crash between writing bytes and recording their row leaves). Run at start-up.
   */
  sweep(before: Date): Promise<{ temporary: number; orphans: number }>;
  /**
   * Keeps a new release: its files (stored once by content hash, shared between releases) and its first step
   * (`save` to draft, or `propose` to review with `proof`). A release with that id already kept changes
   * nothing and is returned as it stands (`created: false`).
   */
  saveRelease(
    release: Pick<Release, "id" | "template" | "templateVersion">,
    content: ReleaseContent,
    step: ReleaseStep,
    proof?: ProofSet,
  ): Promise<{ created: boolean; release: Release }>;
  /**
   * Moves a release only if it is in one of `from` (compare and set), recording the step; with `proof` (on
   * propose) freezes its proof set. False when it was in none of them. Publishing goes through
   * `publishRelease`.
   */
  moveRelease(id: string, from: readonly ReleaseState[], step: ReleaseStep, proof?: ProofSet): Promise<boolean>;
  /**
   * Makes a release (in one of `from`) the template's released one and retires the one released before, in one
   * transaction: of two concurrent publishes of one template exactly one wins.
   */
  publishRelease(
    id: string,
    from: readonly ReleaseState[],
    step: ReleaseStep,
  ): Promise<{ published: boolean; retired?: string }>;
  /** One release with its steps, by full id. */
  release(id: string): Promise<Release | undefined>;
  /** Releases newest first (by their last step), filtered; `idPrefix` finds a release by the start of its id. */
  releases(filter?: { template?: string; state?: ReleaseState; idPrefix?: string }): Promise<Release[]>;
  releaseContent(id: string): Promise<ReleaseContent | undefined>;
  releaseProof(id: string): Promise<ProofSet | undefined>;
  /** True when the database answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
