import type { Profile } from "../profile/index.ts";
import type { ChannelName } from "../templates/index.ts";

/**
 * Which channels a customer gets. `preferred` follows `preferences.channels` (print means the PDF goes to the
 * print house); `all` renders every channel for everyone (archive copies); a list renders those channels.
 */
export type ChannelSelection = "preferred" | "all" | readonly ChannelName[];

const ORDER: readonly ChannelName[] = ["pdf", "email", "sms"];

/** `preferred`, `all` or a comma list such as `pdf,email`; undefined when the text names no such channel. */
export function parseChannelSelection(text: string): ChannelSelection | undefined {
  if (text === "preferred" || text === "all") return text;
  const names = text.split(",").map((s) => s.trim());
  if (names.some((n) => !ORDER.includes(n as ChannelName))) return undefined;
  return ORDER.filter((c) => names.includes(c));
}

export interface Route {
  channels: ChannelName[];
  /** The PDF joins the print stream: the customer asked for paper and a PDF is rendered. */
  print: boolean;
}

/** A customer with no channel preference at all is sent paper: a bill must reach every customer. */
export function route(profile: Profile, selection: ChannelSelection): Route {
  const prefs = profile.preferences.channels;
  const wantsPaper = prefs.includes("print") || prefs.length === 0;
  let channels: ChannelName[];
  if (selection === "all") channels = [...ORDER];
  else if (selection === "preferred")
    channels = ORDER.filter((c) => (c === "pdf" ? wantsPaper : prefs.includes(c as "email" | "sms")));
  else channels = [...selection];
  return { channels, print: wantsPaper && channels.includes("pdf") };
}
