import type { FastifyRequest } from "fastify";
import type { Archive, ProfileSource } from "../archive/index.ts";
import { type CustomerHistory, NO_HISTORY } from "../decide/index.ts";
import type { Problem } from "../core/index.ts";
import type { CustomerEvent } from "../events/index.ts";
import type { Reactor } from "../realtime/index.ts";
import type { ReleaseDesk } from "../releases/desk.ts";
import { type Profile, validateProfile } from "../profile/index.ts";
import { auditRead } from "./audit.ts";
import { requireScope } from "./auth.ts";
import { allows } from "./keys.ts";
import type { ServerMetrics } from "./metrics.ts";
import type { RenderPool } from "./pool.ts";
import { HttpProblem } from "./problems.ts";
import type { TemplateInfo } from "./worker-protocol.ts";

/** What every route works with. */
export interface ServerContext {
  pool: RenderPool;
  archive: Archive;
  /** Releases: proposed, reviewed, published and retired by people, through the API key's name. */
  releases: ReleaseDesk;
  /** The loaded templates by id: a template id from a request is only ever a key into this map. */
  templates: ReadonlyMap<string, TemplateInfo>;
  /** The ids of the catalogue's items, which responses may name. */
  offerIds: ReadonlySet<string>;
  metrics: ServerMetrics;
  /** Longest a render may take, queue wait included. */
  timeoutMs: number;
  /** Events and the messages they start; absent when the server was started without an event queue. */
  reactions?: { addEvent(event: CustomerEvent): Promise<void>; reactor: Reactor };
  /** The clock of archived documents' dates, the audit trail and idempotency keys' expiry. */
  now: () => Date;
}

export interface Subject {
  profile?: unknown;
  customerId?: string;
}

/** The profile a request is about, and whether it is the customer's profile of record. */
export interface Resolved {
  profile: Profile;
  source: ProfileSource;
}

/**
 * The profile a request is about: validated from the body, or the archive's profile of record for the customer
 * id (with archive:read too, and audited as a read). A body's profile is of record only from a key that may
 * write the record (profile:write); otherwise it is the caller's, and never replaces the record.
 */
export async function resolveProfile(ctx: ServerContext, request: FastifyRequest, s: Subject): Promise<Resolved> {
  if ((s.profile === undefined) === (s.customerId === undefined))
    throw HttpProblem.of(400, "OMD_API_BODY_INVALID", "give either profile or customerId, not both", "/profile");
  if (s.profile !== undefined) {
    const r = validateProfile(s.profile);
    if (!r.ok) throw new HttpProblem(400, r.problems.map(underProfile));
    const mayWrite = request.apiKey !== undefined && allows(request.apiKey, "profile:write");
    return { profile: r.value, source: mayWrite ? "record" : "caller" };
  }
  requireScope(request, "archive:read");
  const id = s.customerId as string;
  await auditRead(ctx, request, id);
  const stored = await ctx.archive.lastProfile(id);
  if (stored === undefined)
    throw HttpProblem.of(
      404,
      "OMD_API_CUSTOMER_UNKNOWN",
      `the archive has no profile for customer ${id}`,
      "/customerId",
      "send the profile instead",
    );
  const r = validateProfile(stored);
  if (!r.ok) throw new HttpProblem(422, r.problems);
  return { profile: r.value, source: "record" };
}

/**
 * The customer's history up to the run date, read from the archive for this one decision: what the contact
 * policy holds against an offer (a complaint in chat yesterday, a decline, an opt-out) counts from the next request.
 */
export async function historyOf(ctx: ServerContext, customerId: string, runDate: string): Promise<CustomerHistory> {
  return (await ctx.archive.histories([customerId], runDate)).get(customerId) ?? NO_HISTORY;
}

export function templateFor(ctx: ServerContext, id: string, at = "/template"): TemplateInfo {
  const t = ctx.templates.get(id);
  if (!t)
    throw HttpProblem.of(
      400,
      "OMD_TEMPLATE_NOT_FOUND",
      `no template "${id}" is loaded`,
      at,
      `loaded: ${[...ctx.templates.keys()].join(", ")}`,
    );
  return t;
}

/** A profile problem located in the request body: `/name/first` becomes `/profile/name/first`. */
function underProfile(p: Problem): Problem {
  const inner = p.at ?? "/";
  const at = inner === "/" ? "/profile" : `/profile${inner}`;
  return { ...p, at, message: p.message.startsWith(inner) ? at + p.message.slice(inner.length) : p.message };
}
