import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from "fastify";
import type { Archive } from "../archive/index.ts";
import { type Problem, ProblemError, type SigningKeys, problem } from "../core/index.ts";
import { bounceServer, readMailbox, verifiedDeliveryId } from "../outbox/index.ts";
import { triggerTemplateProblems } from "../decide/index.ts";
import { type QueueAddress, reactionQueues, reactionWorkers } from "../queue/index.ts";
import { type Gateways, Reactor, type RetryPolicy } from "../realtime/index.ts";
import type { DeliveryReport } from "../outbox/index.ts";
import type { EngineOptions } from "../engine.ts";
import { releaseDesk } from "../releases/desk.ts";
import type { SampleFiles } from "../studio/samples.ts";
import { AuthThrottle, type AuthThrottleOptions } from "./auth-throttle.ts";
import { authenticate } from "./auth.ts";
import type { ServerContext } from "./context.ts";
import { idempotentRequests } from "./idempotency.ts";
import { limitJsonDepth } from "./json-body.ts";
import { type ApiKey, KeyRing, SCOPE_MEANINGS } from "./keys.ts";
import { type LogOptions, loggerOptions } from "./logging.ts";
import { createMetrics } from "./metrics.ts";
import { type PoolOptions, RenderPool, overloaded } from "./pool.ts";
import { HttpProblem, errorHandler } from "./problems.ts";
import { type RateLimitOptions, rateLimitByKey } from "./rate-limit.ts";
import { RefusalTally, RequestLog, markRefusal } from "./refusals.ts";
import { archiveRoutes } from "./routes/archive.ts";
import { decisionRoutes } from "./routes/decisions.ts";
import { deliveryReportRoutes } from "./routes/delivery-reports.ts";
import { eventRoutes } from "./routes/events.ts";
import { documentRoutes } from "./routes/documents.ts";
import { healthRoutes } from "./routes/health.ts";
import { interactionRoutes } from "./routes/interactions.ts";
import { linkRoutes } from "./routes/links.ts";
import { offerRoutes } from "./routes/offers.ts";
import { releaseRoutes } from "./routes/releases.ts";
import { responseRoutes } from "./routes/responses.ts";
import { templateRoutes } from "./routes/templates.ts";
import { SHARED_SCHEMAS } from "./schemas.ts";
import { refuseKeysInUrl } from "./url-keys.ts";
import type { CatalogueInfo, TemplateInfo } from "./worker-protocol.ts";

declare module "fastify" {
  interface FastifyInstance {
    /** The render pool, for plugins (the studio) that render through the same workers. */
    renderPool: RenderPool;
    /** The keys the server holds now, for plugins (signed-in pages) that must drop a revoked key's sessions. */
    keyRing: KeyRing;
  }
}

export interface ServerOptions {
  /** Accepted API keys (hashes and scopes), or a ring that a reload may change; with none, every protected route answers 401. */
  keys: readonly ApiKey[] | KeyRing;
  /** Failed authentications an address may make in a window before it gets 429 (default 10 a minute). */
  authThrottle?: AuthThrottleOptions;
  /**
   * The proxies whose X-Forwarded-For/-Proto/-Host are believed (Fastify's `trustProxy`: addresses or CIDRs, or
   * true for any): behind a TLS proxy the studio's cookie is then `Secure` and a client is told apart by address.
   */
  trustProxy?: boolean | string | string[];
  /** Where rendered documents are recorded and read back; the caller opens and closes it. */
  archive: Archive;
  /** Project folder the workers build their Engine from (default: the working directory). */
  root?: string;
  engine?: EngineOptions;
  /** The sample customers a proposed release's proof set is rendered for (default: the studio's). */
  samples?: Partial<SampleFiles>;
  pool?: PoolOptions;
  /** Longest a request may take, queue wait and rendering included (default 10 s). */
  timeoutMs?: number;
  /** Largest accepted request body (default 1 MiB). */
  bodyLimit?: number;
  /** Structured logging; false for none. */
  log?: LogOptions | false;
  /** Requests each API key may make per window, over which it gets 429 with Retry-After. */
  rateLimit?: RateLimitOptions;
  /** How long a refusal for a full queue is held before it is sent, in milliseconds (default 100). */
  refusalPauseMs?: number;
  /** How often the count of refused requests is logged, in milliseconds (default 10 s). */
  refusalLogIntervalMs?: number;
  /**
   * At start-up, temporary files and unreferenced blobs older than this are swept from the archive's blob
   * folder (default one hour: longer than any write in flight, from this or another process).
   */
  sweepGraceMs?: number;
  /** Fastify plugins mounted after the API routes, e.g. the template studio; routes set `config.scope`. */
  plugins?: FastifyPluginAsync[];
  /**
   * Events and the messages they start: the queue they go through (BullMQ on Redis; every server given the same
   * one shares the work) and the gateways messages leave by. Without it, POST /v1/events answers 503.
   */
  reactions?: ReactionsOptions;
  /** The world's clock (World.now): archived documents' dates, the audit trail, idempotency keys' expiry. */
  now?: () => Date;
}

export interface ReactionsOptions {
  queue: QueueAddress;
  /** This server as the queue sees it: host and process. */
  name: string;
  gateways: Gateways;
  /** The tracking ring, which signs the SMS gateway's delivery-report callbacks and the bounce addresses. */
  reportKeys: SigningKeys;
  /** Bounces (RFC 3464 DSNs) taken by omnidoc's own SMTP endpoint for the bounce domain, or from a Maildir. */
  bounces?: { domain: string; port?: number; host?: string; maildir?: string };
  retry?: RetryPolicy;
  /** Events and deliveries worked on at once (default 16): each mostly waits on a render thread or a gateway. */
  concurrency?: number;
}

/**
 * The HTTP API, ready to `listen`. Starts the render workers and waits until they have built their
 * Engines, so a server that is returned can render; `close()` stops the workers (not the archive).
 */
export async function buildServer(o: ServerOptions): Promise<FastifyInstance> {
  const timeoutMs = o.timeoutMs ?? 10_000;
  const pool = new RenderPool(
    { root: o.root ?? process.cwd(), engine: o.engine ?? {}, ...(o.samples && { samples: o.samples }) },
    o.pool,
  );
  let templates: TemplateInfo[];
  let catalogue: CatalogueInfo;
  let swept: { temporary: number; orphans: number };
  try {
    templates = await pool.run<TemplateInfo[]>({ kind: "templates" }, 120_000);
    catalogue = await pool.run<CatalogueInfo>({ kind: "catalogue" }, 120_000);
    const unknown = triggerTemplateProblems(catalogue, new Set(templates.map((t) => t.id)));
    if (unknown.length > 0) throw new ProblemError(unknown);
    // Ready means every worker can answer within the timeout, not that one has started.
    await pool.allWarm(120_000);
    swept = await o.archive.sweep(new Date(Date.now() - (o.sweepGraceMs ?? 3_600_000)));
  } catch (e) {
    await pool.close();
    throw e;
  }
  const metrics = createMetrics(
    () => pool.queueDepth,
    () => pool.threads,
  );
  const now = o.now ?? (() => new Date());
  const ctx: ServerContext = {
    pool,
    archive: o.archive,
    releases: releaseDesk(o.archive, now),
    templates: new Map(templates.map((t) => [t.id, t])),
    offerIds: new Set(catalogue.offerIds),
    metrics,
    timeoutMs,
    now,
  };

  const refusals = new RefusalTally(metrics.refusals, o.refusalLogIntervalMs);
  const app = Fastify({
    logger: o.log === false ? false : loggerOptions(o.log ?? {}),
    // Fastify's own request lines carry the URL; ours carry the route pattern, and refusals only as a rate.
    logController: new RequestLog(refusals),
    genReqId: () => randomUUID(),
    bodyLimit: o.bodyLimit ?? 1024 * 1024,
    requestTimeout: timeoutMs + 5_000,
    connectionTimeout: timeoutMs + 5_000,
    // A `__proto__` or `constructor.prototype` key in a body is dropped while parsing: it never reaches an object.
    onProtoPoisoning: "remove",
    onConstructorPoisoning: "remove",
    ajv: { customOptions: { removeAdditional: false, allErrors: false } },
    trustProxy: o.trustProxy ?? false,
  });
  if (swept.temporary + swept.orphans > 0) app.log.info({ swept }, "removed what a crash left in the archive");
  limitJsonDepth(app);
  app.decorate("renderPool", pool);
  app.decorateRequest("apiKey", undefined);
  app.decorateRequest("problemCodes", undefined);
  for (const s of SHARED_SCHEMAS) app.addSchema(s);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request) => {
    throw HttpProblem.of(404, "OMD_API_ROUTE_NOT_FOUND", `no endpoint ${request.method} ${request.url.split("?")[0]}`);
  });
  app.addHook("onRequest", refuseKeysInUrl);
  const keys = o.keys instanceof KeyRing ? o.keys : new KeyRing(o.keys);
  app.decorate("keyRing", keys);
  app.addHook("onRequest", authenticate(keys, new AuthThrottle(o.authThrottle)));
  // What a key may read (documents, decisions, a customer's archive) is kept by no cache on the way.
  app.addHook("onSend", async (request, reply) => {
    if (request.routeOptions.config?.scope !== undefined) reply.header("cache-control", "no-store");
  });
  app.addHook("onRequest", await rateLimitByKey(app, o.rateLimit));
  app.addHook("onError", markRefusal);
  // Under overload, refusing costs less than reading, parsing and validating a body that cannot be served;
  // the refusal is held for a moment that costs nothing, so a client that retries at once cannot make
  // refusals the server's main work (at 64 connections they took as much CPU as the renders lost).
  const refusalPauseMs = o.refusalPauseMs ?? 100;
  app.addHook("onRequest", async (request) => {
    if (!request.routeOptions.config?.renders || !pool.full) return;
    await sleep(refusalPauseMs);
    throw overloaded();
  });
  // A request that crashed the process lets its key go once it could no longer be running.
  idempotentRequests(app, { archive: o.archive, now: ctx.now, holdMs: 2 * (timeoutMs + 5_000) });
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    metrics.requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  app.addHook("onClose", () => {
    refusals.flush();
    return pool.close();
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: "omnidoc API",
        version: "1",
        description: "On-demand documents, decisions and the single customer view",
      },
      components: {
        securitySchemes: {
          apiKey: {
            type: "http",
            scheme: "bearer",
            description: [
              "Authorization: Bearer <key>. A key in the URL (?api_key= or any key-looking parameter) is refused",
              "with 400 OMD_API_KEY_IN_URL: URLs end up in logs.\n\nEach key has scopes:\n",
              ...Object.entries(SCOPE_MEANINGS).map(([scope, meaning]) => `- \`${scope}\`: ${meaning}`),
            ].join("\n"),
          },
        },
      },
      security: [{ apiKey: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });

  if (o.reactions) await startReactions(app, ctx, o.reactions, catalogue);

  healthRoutes(app, ctx);
  templateRoutes(app, ctx);
  documentRoutes(app, ctx);
  decisionRoutes(app, ctx);
  archiveRoutes(app, ctx);
  interactionRoutes(app, ctx);
  responseRoutes(app, ctx);
  offerRoutes(app, ctx);
  eventRoutes(app, ctx);
  releaseRoutes(app, ctx);
  if (o.reactions) deliveryReportRoutes(app, ctx, o.reactions.reportKeys);
  await app.register(linkRoutes(ctx));
  for (const plugin of o.plugins ?? []) await app.register(plugin);
  return app;
}

/**
 * Acts on queued events in this process, composing on its render threads: the reactor, its queues and their
 * workers, closed with the server.
 */
async function startReactions(
  app: FastifyInstance,
  ctx: ServerContext,
  o: ReactionsOptions,
  catalogue: CatalogueInfo,
): Promise<void> {
  const queues = reactionQueues(o.queue, o.name);
  const reactor = new Reactor({
    archive: ctx.archive,
    catalogue,
    compose: (request) => ctx.pool.run({ kind: "compose", ...request }, ctx.timeoutMs),
    gateways: o.gateways,
    later: (id, at) => queues.deliverAt(id, at, at.getTime() - ctx.now().getTime()),
    now: ctx.now,
    retry: o.retry,
    log: (fields, message) => app.log.info(fields, message),
  });
  const workers = reactionWorkers(
    o.queue,
    { name: o.name, concurrency: o.concurrency ?? 16 },
    { event: (event) => reactor.handle(event), delivery: (id) => reactor.deliver(id) },
  );
  ctx.reactions = { addEvent: queues.addEvent, reactor };
  const bounces = o.bounces && (await takeBounces(app, reactor, o.bounces, o.reportKeys));
  app.addHook("onClose", async () => {
    await bounces?.close();
    await Promise.all(workers.map((w) => w.close()));
    await queues.close();
    await Promise.all([o.gateways.email?.close(), o.gateways.sms?.close()]);
  });
}

/** How often a bounce Maildir is read. */
const MAILDIR_POLL_MS = 10_000;

/** The bounce endpoint and the Maildir reader, handing each DSN's reports to the reactor. */
async function takeBounces(
  app: FastifyInstance,
  reactor: Reactor,
  o: NonNullable<ReactionsOptions["bounces"]>,
  keys: SigningKeys,
): Promise<{ close(): Promise<void> }> {
  const onProblem = (p: Problem) => app.log.warn({ problems: [p.code] }, "a message to the bounce domain is ignored");
  const handlers = {
    onReport: async (report: DeliveryReport) => {
      const deliveryId = report.deliveryId && verifiedDeliveryId(report.deliveryId, keys);
      if (report.deliveryId && !deliveryId)
        return onProblem(problem("OMD_BOUNCE_UNSIGNED", "the bounce names a delivery without omnidoc's tag", "bounce"));
      const d = await reactor.report({ ...report, ...(deliveryId && { deliveryId }) });
      app.log.info({ deliveryId: d?.id, state: d?.state, outcome: report.outcome }, "bounce");
    },
    onProblem,
  };
  const server = o.port === undefined ? undefined : bounceServer({ domain: o.domain, ...handlers });
  if (server) {
    const port = await server.listen(o.port as number, o.host);
    app.log.info({ port }, `bounces for ${o.domain} taken by SMTP on port ${port}`);
  }
  const poll =
    o.maildir === undefined
      ? undefined
      : setInterval(() => {
          readMailbox(o.maildir as string, handlers).catch((e) =>
            app.log.error({ err: e }, "the bounce Maildir cannot be read"),
          );
        }, MAILDIR_POLL_MS);
  return {
    close: async () => {
      clearInterval(poll);
      await server?.close();
    },
  };
}
