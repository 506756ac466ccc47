import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * A worker's Prometheus metrics: shards by outcome, records by status, how long a shard waited in the queue
 * (the lag) and took. Labels are outcomes and statuses only: no run folder, customer or record in any of them.
 */
export class WorkerMetrics {
  readonly registry = new Registry();
  readonly shards = new Counter({
    name: "omnidoc_worker_shards_total",
    help: "Shards this worker finished: committed, already (an earlier attempt had committed it), refused, failed",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });
  readonly records = new Counter({
    name: "omnidoc_worker_records_total",
    help: "Records of the shards this worker committed, by status",
    labelNames: ["status"] as const,
    registers: [this.registry],
  });
  readonly lag = new Histogram({
    name: "omnidoc_worker_shard_lag_seconds",
    help: "From a shard's enqueueing to this worker starting it",
    buckets: [0.05, 0.25, 1, 5, 15, 60, 300, 1800],
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: "omnidoc_worker_shard_seconds",
    help: "Time to compose and commit one shard",
    buckets: [1, 5, 15, 30, 60, 120, 300, 900],
    registers: [this.registry],
  });
  readonly busy = new Gauge({
    name: "omnidoc_worker_shards_in_progress",
    help: "Shards this worker is composing now",
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: "omnidoc_worker_" });
  }
}
