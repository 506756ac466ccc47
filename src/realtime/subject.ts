/**
 * What a triggered delivery delivers: one event's message from one template. The subject names the event type
 * and the template, so a delivery report arriving days later finds the trigger that decides its fallback.
 */
export interface EventSubject {
  type: string;
  template: string;
  eventId: string;
}

/** `event:payment.missed:payment-reminder:EVT-1`; event types and template ids never hold a colon, ids may. */
export const eventSubject = (s: EventSubject): string => `event:${s.type}:${s.template}:${s.eventId}`;

export function parseEventSubject(subject: string): EventSubject | undefined {
  const m = /^event:([^:]+):([^:]+):(.+)$/.exec(subject);
  return m ? { type: m[1], template: m[2], eventId: m[3] } : undefined;
}

/** The run of a triggered composition: its documents and decision of record are archived under it. */
export const eventRunId = (eventId: string, what = "message"): string => `event-${what}-${eventId}`;
