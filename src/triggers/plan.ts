import type { CustomerHistory, HistoryInteraction, Trigger } from "../decide/index.ts";
import { type CustomerEvent, EVENT_SOURCE } from "../events/index.ts";
import type { Channel, Profile } from "../profile/index.ts";
import { quietHoursEnd } from "./quiet-hours.ts";
import { reach } from "./reach.ts";
import { type CustomerZone, customerZone } from "./zone.ts";

const HOUR = 3_600_000;

/** One message a trigger sends: where, and the earliest it may go (quiet hours move it). */
export interface PlannedSend {
  channel: Channel;
  /** The mobile number or email address; none for print, which goes to the postal address. */
  address?: string;
  /** ISO instant in UTC: now, or the end of the customer's quiet hours. */
  notBefore: string;
  reason: string;
}

export interface UnreachableChannel {
  channel: Channel;
  reason: string;
}

/**
 * What an event starts for one trigger: nothing (a repeat of an event already acted on), or per channel a send
 * or the reason the customer cannot receive it. With no send at all, the caller tries `nextFallback`.
 */
export type TriggerPlan =
  | { action: "skip"; reason: string; duplicateOf: { id: string; at: string } }
  | { action: "send"; zone: CustomerZone; sends: PlannedSend[]; unreachable: UnreachableChannel[] };

/**
 * Plans the messages `trigger` sends for `event`. `history` holds the customer's recorded events (interactions
 * of source `events`); `now` is when they would go; `defaultZone` is the catalogue's `timeZone`.
 */
export function planTrigger(
  trigger: Trigger,
  event: CustomerEvent,
  profile: Profile,
  history: CustomerHistory,
  now: Date,
  defaultZone: string,
): TriggerPlan {
  if (trigger.event !== event.type) throw new Error(`trigger for ${trigger.event} planned for a ${event.type} event`);
  if (profile.id !== event.customerId) throw new Error(`event of ${event.customerId} planned for ${profile.id}`);
  const duplicate = repeatOf(event, history.interactions, trigger.dedupeHours);
  if (duplicate)
    return {
      action: "skip",
      reason: `another ${event.type} event (${duplicate.sourceId}, ${duplicate.at}) is less than ${trigger.dedupeHours} h from this one`,
      duplicateOf: { id: duplicate.sourceId, at: duplicate.at },
    };
  const zone = customerZone(profile, defaultZone);
  const sends: PlannedSend[] = [];
  const unreachable: UnreachableChannel[] = [];
  for (const channel of trigger.channels) {
    const r = reach(profile, channel);
    if (!r.reachable) unreachable.push({ channel, reason: r.reason });
    else
      sends.push({
        channel,
        ...(r.address === undefined ? {} : { address: r.address }),
        ...sendTime(trigger, channel, zone, now),
      });
  }
  return { action: "send", zone, sends, unreachable };
}

/**
 * When a message of `trigger` may go on `channel`: `now`, or the end of its quiet hours in the customer's zone
 * (for a fallback as well as a channel).
 */
export function sendTime(
  trigger: Trigger,
  channel: Channel,
  { zone, from }: CustomerZone,
  now: Date,
): { notBefore: string; reason: string } {
  const quiet = trigger.quietHours;
  const at = now.getTime();
  const end = quiet?.channels.includes(channel) ? quietHoursEnd(at, quiet, zone) : at;
  if (!quiet || end === at) return { notBefore: now.toISOString(), reason: "now" };
  return {
    notBefore: new Date(end).toISOString(),
    reason: `quiet hours ${quiet.from}–${quiet.to} in ${zone} (the ${from}'s zone): waits until ${quiet.to}`,
  };
}

/**
 * The event this one repeats: another recorded event of the same type less than `hours` before it (or at the same
 * instant with a smaller id). Only earlier ones count: events posted together are all recorded before any is acted
 * on, and of such a cluster the first must still act. The same event recorded again (a retry) is not a repeat.
 * Zero hours: none.
 */
function repeatOf(
  event: CustomerEvent,
  interactions: readonly HistoryInteraction[],
  hours: number,
): HistoryInteraction | undefined {
  const at = Date.parse(event.at);
  return interactions.find((i) => {
    if (i.source !== EVENT_SOURCE || i.topic !== event.type || i.sourceId === event.id) return false;
    const before = at - Date.parse(i.at);
    return before < hours * HOUR && (before > 0 || (before === 0 && i.sourceId < event.id));
  });
}

/** The first of the trigger's fallback channels not yet tried that the customer can receive. */
export function nextFallback(trigger: Trigger, profile: Profile, tried: readonly Channel[]): Channel | undefined {
  return trigger.fallback.find((c) => !tried.includes(c) && reach(profile, c).reachable);
}
