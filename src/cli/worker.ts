import { createServer } from "node:http";
import { availableParallelism } from "node:os";
import type { Command } from "commander";
import { pino } from "pino";
import type { CliContext } from "./context.ts";
import {
  type EngineFlags,
  PACKAGE_ROOT,
  count,
  engineOptions,
  queueAddress,
  requireSigningKeys,
  withEngineFlags,
} from "./shared.ts";

interface WorkerFlags extends EngineFlags {
  queue: string;
  concurrency?: string;
  metricsPort?: string;
  lockMs?: string;
  archive?: string;
}

/**
 * Shards a worker composes at once: one, spread over all its threads. A shard's tail leaves few threads idle
 * for long (a 2,000-record shard is ~60 records a thread on 32), and a worker holding two shards while
 * another holds none would make the run's end wait on it.
 */
const SHARDS_AT_ONCE = 1;
/** A refused shard goes back to the queue for this long, for another worker to take. */
const HAND_BACK_MS = 5000;

/** `omnidoc worker`: takes shards of distributed runs from the queue and composes them, until stopped. */
export function registerWorker(program: Command, ctx: CliContext): void {
  const command = program
    .command("worker")
    .description("compose shards of distributed runs (omnidoc run --queue) taken from Redis, until Ctrl-C")
    .requiredOption("-q, --queue <url>", "the runs' Redis: redis://HOST:PORT/DB")
    .option("--concurrency <n>", "composing threads (default: the available cores)")
    .option("--metrics-port <port>", "serve Prometheus metrics on http://0.0.0.0:PORT/metrics")
    .option(
      "--lock-ms <ms>",
      "how long a shard of a worker that died waits before another worker takes it (default 30000)",
    )
    .option("-a, --archive <url>", "archive for runs that archive (default: $OMNIDOC_ARCHIVE or the embedded one)");
  withEngineFlags(command).action(async (flags: WorkerFlags) => {
    requireSigningKeys();
    const queue = await queueAddress(flags.queue);
    const { RunRegistry, checkReachable, connect, shardWorker } = await import("../queue/index.ts");
    await checkReachable(queue);
    const { ShardRunner, WorkerMetrics, workerName } = await import("../batch/index.ts");
    const { archiveUrl } = await import("../archive/index.ts");
    const name = workerName();
    const log = pino({ base: { worker: name } }, ctx.io.stderr);
    const metrics = new WorkerMetrics();
    const redis = connect(queue, "omnidoc-worker-registry");
    const registry = new RunRegistry(redis);
    const threads = count(flags.concurrency, "--concurrency") ?? availableParallelism();
    const runner = new ShardRunner({
      root: PACKAGE_ROOT,
      engine: engineOptions(flags),
      threads,
      name,
      archiveUrl: archiveUrl(flags.archive),
      handBackMs: HAND_BACK_MS,
      log,
      metrics,
      onRefusal: (run, reason) => registry.refuse(run, name, reason),
    });
    await runner.ready();
    const server = flags.metricsPort === undefined ? undefined : serveMetrics(metrics.registry, flags.metricsPort);
    const worker = shardWorker(
      queue,
      { name, concurrency: SHARDS_AT_ONCE, lockMs: count(flags.lockMs, "--lock-ms") ?? 30_000 },
      (job, token) => runner.process(job, token),
    );
    // Lost connections and locks while Redis restarts: BullMQ recovers from both, the log says what happened.
    worker.on("error", (err) => log.warn({ err: err.message }, "queue error"));
    log.info({ queue: queue.shown, threads }, "worker ready");
    await new Promise<void>((done) => {
      let stopping = false;
      const stop = () => {
        if (stopping) process.exit(130);
        stopping = true;
        log.info("stopping after the shards in progress (Ctrl-C again to quit at once)");
        done();
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
    await worker.close();
    await runner.close();
    server?.close();
    redis.disconnect();
    log.info("worker stopped");
  });
}

function serveMetrics(registry: import("prom-client").Registry, port: string) {
  const server = createServer((req, res) => {
    if (req.url !== "/metrics") {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { "content-type": registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  server.listen(count(port, "--metrics-port"));
  return server;
}
