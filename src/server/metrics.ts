import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** The server's Prometheus metrics, in a registry of its own (several servers may share a process in tests). */
export interface ServerMetrics {
  registry: Registry;
  requests: Counter<"method" | "route" | "status">;
  latency: Histogram<"method" | "route">;
  renders: Counter<"channel" | "outcome">;
  refusals: Counter<"code">;
}

export function createMetrics(queueDepth: () => number, workers: () => number): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "omnidoc_" });
  const requests = new Counter({
    name: "omnidoc_http_requests_total",
    help: "HTTP requests answered, by route pattern and status",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: "omnidoc_http_request_duration_seconds",
    help: "Time from request to response, by route pattern",
    labelNames: ["method", "route"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const renders = new Counter({
    name: "omnidoc_renders_total",
    help: "Documents rendered, by channel and outcome (ok, failed)",
    labelNames: ["channel", "outcome"] as const,
    registers: [registry],
  });
  const refusals = new Counter({
    name: "omnidoc_http_refusals_total",
    help: "Requests turned away before any work: the render queue was full or the key was over its rate",
    labelNames: ["code"] as const,
    registers: [registry],
  });
  new Gauge({
    name: "omnidoc_render_pool_queue_depth",
    help: "Render tasks waiting for a worker",
    registers: [registry],
    collect() {
      this.set(queueDepth());
    },
  });
  new Gauge({
    name: "omnidoc_render_pool_workers",
    help: "Worker threads in the render pool",
    registers: [registry],
    collect() {
      this.set(workers());
    },
  });
  return { registry, requests, latency, renders, refusals };
}
