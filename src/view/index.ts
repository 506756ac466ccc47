export { type LinkKeys, type ViewInput, buildView } from "./build.ts";
export { type ChannelOffers, DOCUMENT_CHANNELS, offerIdsIn, offersIn, shows } from "./channel-items.ts";
export { type Formatters, formatters, toMinorUnits } from "./format.ts";
export { fillLabel, labelOf } from "./labels.ts";
export {
  PAY_LINK_GRACE_DAYS,
  type PayClaims,
  type TokenPurpose,
  addDays,
  chartSignature,
  type LinkClaims,
  customerToken,
  deliveryToken,
  linkToken,
  signPayLink,
  trackOfferLink,
  trackedLink,
  unsubscribeLink,
  verifyChartSignature,
  verifyCustomerToken,
  verifyDeliveryToken,
  verifyLink,
} from "./links.ts";
export { type Sender, postalAddressLines } from "./postal-address.ts";
export type { ChannelItem, DocumentChannel, ItemWords, MonthUsage, TrackedLink, View, ViewItem } from "./types.ts";
