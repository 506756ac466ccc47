import type { RedisOptions } from "bullmq";
import { Redis } from "ioredis";
import { ProblemError, problem } from "../core/index.ts";

/** Where the queue is: a Redis every machine of the run reaches. */
export interface QueueAddress {
  /** As given, for connecting. */
  url: string;
  /** For messages and logs: the URL without its password. */
  shown: string;
}

/** A `--queue` value: `redis://[USER:PASSWORD@]HOST:PORT[/DB]`, or a ProblemError that says what is wrong. */
export function parseQueueUrl(text: string): QueueAddress {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badUrl(text, "it is not a URL");
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") throw badUrl(text, `${url.protocol} is not redis:`);
  if (url.hostname === "") throw badUrl(text, "it names no host");
  if (url.pathname !== "" && url.pathname !== "/" && !/^\/\d+$/.test(url.pathname))
    throw badUrl(text, `the database ${url.pathname.slice(1)} is not a number`);
  const shown = new URL(url);
  if (shown.password !== "") shown.password = "***";
  return { url: text, shown: shown.toString() };
}

function badUrl(text: string, why: string): ProblemError {
  const shown = text.replace(/\/\/[^@/]*@/, "//***@");
  return new ProblemError([
    problem("OMD_QUEUE_URL", `--queue ${shown}: ${why}`, undefined, "give it as redis://HOST:PORT/DB"),
  ]);
}

/**
 * Options of a connection that rides out a Redis restart: commands wait while it reconnects (BullMQ's
 * workers need `maxRetriesPerRequest: null`), with a back-off capped at two seconds. Given as options,
 * not as a connection, BullMQ owns the connection and closes it with the queue or worker.
 */
export function redisOptions(address: QueueAddress, name: string): RedisOptions {
  const url = new URL(address.url);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ""),
    port: url.port === "" ? 6379 : Number(url.port),
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    username: url.username === "" ? undefined : decodeURIComponent(url.username),
    password: url.password === "" ? undefined : decodeURIComponent(url.password),
    tls: url.protocol === "rediss:" ? {} : undefined,
    connectionName: name,
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(100 * times, 2000),
  };
}

/** A connection of our own (the run registry), with the same resilience; the caller disconnects it. */
export function connect(address: QueueAddress, name: string): Redis {
  const redis = new Redis(redisOptions(address, name));
  // While Redis is away its commands wait and it reconnects by itself; an error event without a listener
  // would be printed as unhandled, once per attempt.
  redis.on("error", () => {});
  return redis;
}

/**
 * Checks once, quickly, that Redis answers, so a machine that cannot reach it says so at start instead of
 * waiting forever for a connection that will not come.
 */
export async function checkReachable(address: QueueAddress, timeoutMs = 3000): Promise<void> {
  const probe = new Redis({
    ...redisOptions(address, "omnidoc-probe"),
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  // The socket's error says why (ECONNREFUSED, ENOTFOUND); connect() itself rejects with "Connection is closed".
  let cause: Error | undefined;
  probe.on("error", (err: Error) => {
    cause ??= err;
  });
  try {
    await probe.connect();
    await probe.ping();
  } catch (err) {
    throw new ProblemError([
      problem(
        "OMD_QUEUE_UNREACHABLE",
        `cannot reach Redis at ${address.shown}: ${(cause ?? (err as Error)).message}`,
        undefined,
        "start Redis there, or give --queue the address of a Redis every machine of the run reaches",
      ),
    ]);
  } finally {
    probe.disconnect();
  }
}
