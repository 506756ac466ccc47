import type { DecisionInput } from "../archive/index.ts";
import type { Problem } from "../core/index.ts";
import type { CustomerHistory } from "../decide/index.ts";
import type { Profile } from "../profile/index.ts";
import type { ChannelName } from "../templates/index.ts";

/** One decision rendered into several channels, as a triggered message sends it. */
export interface CompositionRequest {
  template: string;
  channels: ChannelName[];
  runDate: string;
  profile: Profile;
  history: CustomerHistory;
  /** The run it is archived under, and when it was made. */
  record: { runId: string; created: string };
}

/** One channel's document of a composition, as the archive keeps it and a gateway sends it. */
export interface ComposedDocument {
  channel: ChannelName;
  /** `application/pdf`, `message/rfc822` (the .eml as sent), `application/json` (the SMS). */
  contentType: string;
  bytes: Uint8Array;
  /** The items it shows, in slot order. */
  offerIds: string[];
}

export type ComposedReply =
  | { ok: true; templateVersion: string; documents: ComposedDocument[]; decision: DecisionInput; warnings: Problem[] }
  | { ok: false; problems: Problem[] };

/** Composes on the server's render threads: the reactor itself never renders. */
export type Composer = (request: CompositionRequest) => Promise<ComposedReply>;
