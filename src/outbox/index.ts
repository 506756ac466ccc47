/** The one door to sending: gateways (SMTP, SMS) and what the network reports back. */
export type * from "./types.ts";
