/** The outbox: gateways that carry finished messages away, and the reports of what became of them. */
export { type BounceHandlers, type BounceServer, type BounceServerOptions, bounceServer } from "./bounce-server.ts";
export { parseKannelDlr } from "./dlr.ts";
export { readBounce } from "./dsn.ts";
export { type KannelOptions, kannelGateway } from "./kannel.ts";
export { readMailbox } from "./maildir.ts";
export { type SmtpGatewayOptions, smtpGateway } from "./smtp.ts";
export type * from "./types.ts";
export { bounceAddress, deliveryIdOf, signedDeliveryId, verifiedDeliveryId } from "./verp.ts";
