import type { Channel, Profile } from "../profile/index.ts";

/** Whether a customer can receive a channel: where to (the mobile or the email address), or why not. */
export type Reach = { reachable: true; address?: string } | { reachable: false; reason: string };

/** A channel reaches a customer who has its address (every profile has a postal one) and takes it. */
export function reach(profile: Profile, channel: Channel): Reach {
  const address = channel === "sms" ? profile.contact.mobile : channel === "email" ? profile.contact.email : undefined;
  if (channel !== "print" && address === undefined)
    return { reachable: false, reason: `the customer has no ${channel === "sms" ? "mobile number" : "email address"}` };
  if (!profile.preferences.channels.includes(channel))
    return { reachable: false, reason: `the customer's preferences leave out ${channel}` };
  return address === undefined ? { reachable: true } : { reachable: true, address };
}
