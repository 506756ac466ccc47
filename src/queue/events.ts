import { Queue, Worker } from "bullmq";
import { sha256Hex } from "../core/index.ts";
import type { CustomerEvent } from "../events/index.ts";
import { type QueueAddress, redisOptions } from "./connection.ts";
import { PREFIX } from "./shards.ts";

const EVENT_QUEUE = "events";
const DELIVERY_QUEUE = "deliveries";

/** A delivery to hand over at its time: the archive holds everything else about it. */
export interface DeliveryJob {
  deliveryId: string;
}

/**
 * An event's job id is its own id's hash: posting it again while the queue still holds it adds nothing. Once
 * done, a job is kept a day, so a retried post within it is not acted on twice; after that, acting again finds
 * every delivery already claimed and sends nothing.
 */
export const eventJobId = (eventId: string) => `event-${sha256Hex(eventId).slice(0, 32)}`;

/** A failing event (the archive down, a render that times out) is tried again with back-off. */
const EVENT_JOBS = {
  attempts: 8,
  backoff: { type: "exponential", delay: 500 },
  removeOnComplete: { age: 86_400 },
  removeOnFail: { age: 7 * 86_400 },
};

export interface ReactionQueues {
  events: Queue<CustomerEvent>;
  deliveries: Queue<DeliveryJob>;
  /** Queues an event to be acted on; an event already queued is not added again. */
  addEvent(event: CustomerEvent): Promise<void>;
  /**
   * Queues a delivery for `at`, `delayMs` from now by the caller's clock (the one quiet hours were read from);
   * one job per delivery and time, so a new time is a new job.
   */
  deliverAt(deliveryId: string, at: Date, delayMs: number): Promise<void>;
  close(): Promise<void>;
}

export function reactionQueues(address: QueueAddress, name: string): ReactionQueues {
  const connection = redisOptions(address, name);
  const events = new Queue<CustomerEvent>(EVENT_QUEUE, { connection, prefix: PREFIX, defaultJobOptions: EVENT_JOBS });
  const deliveries = new Queue<DeliveryJob>(DELIVERY_QUEUE, {
    connection,
    prefix: PREFIX,
    defaultJobOptions: EVENT_JOBS,
  });
  return {
    events,
    deliveries,
    addEvent: async (event) => {
      await events.add(event.type, event, { jobId: eventJobId(event.id) });
    },
    deliverAt: async (deliveryId, at, delayMs) => {
      await deliveries.add(
        "deliver",
        { deliveryId },
        { jobId: `${deliveryId}-${at.getTime()}`, delay: Math.max(0, delayMs) },
      );
    },
    close: async () => {
      await Promise.all([events.close(), deliveries.close()]);
    },
  };
}

export interface ReactionWorkerOptions {
  name: string;
  /** Events (and deliveries) worked on at once: each mostly waits on the archive, a render thread or a gateway. */
  concurrency: number;
}

/**
 * The workers of both queues. A job whose worker dies is given to another once its lock lapses: the event is
 * acted on again, and finds its deliveries claimed.
 */
export function reactionWorkers(
  address: QueueAddress,
  o: ReactionWorkerOptions,
  work: { event: (event: CustomerEvent) => Promise<unknown>; delivery: (deliveryId: string) => Promise<unknown> },
): Worker[] {
  const options = { prefix: PREFIX, name: o.name, concurrency: o.concurrency, lockDuration: 30_000 };
  return [
    new Worker<CustomerEvent>(EVENT_QUEUE, (job) => work.event(job.data), {
      ...options,
      connection: redisOptions(address, `${o.name}-events`),
    }),
    new Worker<DeliveryJob>(DELIVERY_QUEUE, (job) => work.delivery(job.data.deliveryId), {
      ...options,
      connection: redisOptions(address, `${o.name}-deliveries`),
    }),
  ];
}
