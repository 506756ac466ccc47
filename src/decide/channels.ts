/** A channel's bit (0 for a name that is none), without a keyed look-up per customer. */
export function channelBit(channel: string): number {
  switch (channel) {
    case "print":
      return 1;
    case "email":
      return 2;
    case "sms":
      return 4;
    default:
      return 0;
  }
}
