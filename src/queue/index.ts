/**
 * The one door to the queue (BullMQ on Redis): connections, the shard queue of distributed runs, the
 * registry of runs. Exactly-once is not the queue's: a job may run twice, and its work is made so that the
 * second run finds the first one's commit and skips.
 */
export { type QueueAddress, checkReachable, connect, parseQueueUrl } from "./connection.ts";
export { type RunRecord, RunRegistry } from "./runs.ts";
export {
  PREFIX,
  type ShardDone,
  type ShardJob,
  type ShardWorkerOptions,
  handBack,
  shardEvents,
  shardJobId,
  shardQueue,
  shardWorker,
} from "./shards.ts";
export {
  type DeliveryJob,
  type ReactionQueues,
  type ReactionWorkerOptions,
  eventJobId,
  reactionQueues,
  reactionWorkers,
} from "./events.ts";
