/**
 * The call-centre agent's view at `/agent/`: find a customer, see one timeline of everything across channels
 * and what to offer now. Mounted like the studio: `buildServer({ plugins: [agentPlugin({ archive })] })`.
 */
export { type AgentOptions, agentPlugin } from "./plugin.ts";
export type { CustomerView } from "./view.ts";
export type { DeliveryEntry, OfferState, TimelineEntry } from "./timeline.ts";
