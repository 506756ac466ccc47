/** Events from other systems, and what they start: intake, the event queue's worker, triggered messages. */
export type { CustomerEvent } from "./types.ts";
