export { type LinkKeys, type ViewInput, buildView } from "./build.ts";
export { type Formatters, formatters, toMinorUnits } from "./format.ts";
export { fillLabel, labelOf } from "./labels.ts";
export {
  PAY_LINK_GRACE_DAYS,
  type PayClaims,
  type TokenPurpose,
  addDays,
  customerToken,
  signPayLink,
  trackOfferLink,
  unsubscribeLink,
  verifyCustomerToken,
  verifyLink,
} from "./links.ts";
export { type Sender, postalAddressLines } from "./postal-address.ts";
export type { ItemWords, MonthUsage, View, ViewItem } from "./types.ts";
