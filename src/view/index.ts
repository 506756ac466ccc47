export { type ViewInput, buildView } from "./build.ts";
export { type Formatters, formatters, toMinorUnits } from "./format.ts";
export { fillLabel, labelOf } from "./labels.ts";
export {
  PAY_LINK_GRACE_DAYS,
  type PayClaims,
  addDays,
  customerToken,
  signPayLink,
  trackOfferLink,
  unsubscribeLink,
  verifyLink,
} from "./links.ts";
export { type Sender, postalAddressLines } from "./postal-address.ts";
export type { ItemWords, MonthUsage, View, ViewItem } from "./types.ts";
