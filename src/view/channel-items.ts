import type { Channel } from "../profile/index.ts";
import type { ChannelItem, DocumentChannel, View, ViewItem } from "./types.ts";

/** The catalogue's name for each document channel (paper is `print` there). */
const CATALOGUE_CHANNEL: Record<DocumentChannel, Channel> = { pdf: "print", email: "email", sms: "sms" };

export const DOCUMENT_CHANNELS = Object.keys(CATALOGUE_CHANNEL) as readonly DocumentChannel[];

/**
 * Whether a channel's document shows an item: the catalogue lets the item go out on that channel, consent
 * covers it if it is marketing, and an SMS only carries an item with SMS copy. The one rule every renderer and
 * the archive's record of what each document showed go by.
 */
export function shows(channel: DocumentChannel, item: ViewItem, view: Pick<View, "customer">): boolean {
  return (
    item.channels.includes(CATALOGUE_CHANNEL[channel]) &&
    (!item.marketing || view.customer.marketingConsent) &&
    (channel !== "sms" || !!item.sms)
  );
}

/** The item as that channel's template sees it: its call to action is the channel's own tracked link. */
function inChannel(channel: DocumentChannel, item: ViewItem): ChannelItem {
  const { cta, ...rest } = item;
  return cta ? { ...rest, cta: { label: cta.label, url: cta.links[channel].url } } : rest;
}

export interface ChannelOffers {
  hero?: ChannelItem;
  secondary: ChannelItem[];
  notices: ChannelItem[];
}

/** The items a channel's document shows, by slot, each linking through that channel's tracked link. */
export function offersIn(channel: DocumentChannel, view: View): ChannelOffers {
  const pick = (items: ViewItem[]) => items.filter((i) => shows(channel, i, view)).map((i) => inChannel(channel, i));
  const hero =
    view.offers.hero && shows(channel, view.offers.hero, view) ? inChannel(channel, view.offers.hero) : undefined;
  return { ...(hero && { hero }), secondary: pick(view.offers.secondary), notices: pick(view.offers.notices) };
}

/** The ids of the items a channel's document shows, in slot order: what the archive records it carried. */
export function offerIdsIn(channel: DocumentChannel, view: View): string[] {
  const { hero, secondary, notices } = offersIn(channel, view);
  return [...(hero ? [hero] : []), ...secondary, ...notices].map((i) => i.id);
}
