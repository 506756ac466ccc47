/**
 * Real time: events from other systems become the right message within a second, sent once, and what the
 * network reports afterwards (delivery reports, bounces) is recorded and acted on.
 */
export { type Gateways, type Reaction, Reactor, type ReactorOptions, type RetryPolicy } from "./reactor.ts";
export { type EventSubject, eventRunId, eventSubject, parseEventSubject } from "./subject.ts";
export type { ComposedDocument, ComposedReply, Composer, CompositionRequest } from "./types.ts";
export { type LetterBatch, collectLetters } from "./letters.ts";
