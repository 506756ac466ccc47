/**
 * What an event starts, planned without a clock or a disk: which messages go where and when (quiet hours in the
 * customer's zone), which channels cannot reach the customer, the fallback next, or nothing for a repeat.
 *
 *   const plan = planTrigger(trigger, event, profile, history, new Date(), catalogue.timeZone);
 */
export { instantsAt, localTime } from "./local-time.ts";
export {
  type PlannedSend,
  type TriggerPlan,
  type UnreachableChannel,
  nextFallback,
  planTrigger,
  sendTime,
} from "./plan.ts";
export { type QuietHours, inQuietHours, quietHoursEnd } from "./quiet-hours.ts";
export { type Reach, reach } from "./reach.ts";
export { type CustomerZone, customerZone } from "./zone.ts";
