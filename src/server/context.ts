import type { FastifyRequest } from "fastify";
import type { Archive } from "../archive/index.ts";
import type { Problem } from "../core/index.ts";
import { type Profile, validateProfile } from "../profile/index.ts";
import { requireScope } from "./auth.ts";
import type { ServerMetrics } from "./metrics.ts";
import type { RenderPool } from "./pool.ts";
import { HttpProblem } from "./problems.ts";
import type { TemplateInfo } from "./worker-protocol.ts";

/** What every route works with. */
export interface ServerContext {
  pool: RenderPool;
  archive: Archive;
  /** The loaded templates by id: a template id from a request is only ever a key into this map. */
  templates: ReadonlyMap<string, TemplateInfo>;
  metrics: ServerMetrics;
  /** Longest a render may take, queue wait included. */
  timeoutMs: number;
}

export interface Subject {
  profile?: unknown;
  customerId?: string;
}

/** The profile a request is about: validated from the body, or the archive's last one for the customer id. */
export async function resolveProfile(ctx: ServerContext, request: FastifyRequest, s: Subject): Promise<Profile> {
  if ((s.profile === undefined) === (s.customerId === undefined))
    throw HttpProblem.of(400, "OMD_API_BODY_INVALID", "give either profile or customerId, not both", "/profile");
  if (s.profile !== undefined) {
    const r = validateProfile(s.profile);
    if (!r.ok) throw new HttpProblem(400, r.problems.map(underProfile));
    return r.value;
  }
  requireScope(request, "archive:read");
  const id = s.customerId as string;
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
  return r.value;
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
