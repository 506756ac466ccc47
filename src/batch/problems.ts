import type { Problem } from "../core/index.ts";
import type { ChannelName } from "../templates/index.ts";
import type { EntryProblem } from "./types.ts";

/** A problem as the manifest and `rejects.ndjson` keep it: the field is the JSON pointer its location names. */
export function entryProblem(p: Problem, channel?: ChannelName): EntryProblem {
  const field = /(?:^| )(\/\S*)$/.exec(p.at ?? "")?.[1];
  const out: EntryProblem = { code: p.code, reason: p.message };
  if (field !== undefined) out.field = field;
  if (channel !== undefined) out.channel = channel;
  return out;
}

const CHANNEL_OF_CODE: Record<string, ChannelName> = { OMD_PDF: "pdf", OMD_EMAIL: "email", OMD_SMS: "sms" };

/** The channel a render problem belongs to: named by its code, or the only requested channel that is missing. */
export function channelOf(p: Problem, missing: readonly ChannelName[]): ChannelName | undefined {
  const byCode = CHANNEL_OF_CODE[p.code.split("_").slice(0, 2).join("_")];
  return byCode ?? (missing.length === 1 ? missing[0] : undefined);
}
