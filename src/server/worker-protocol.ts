import type { DecisionInput } from "../archive/index.ts";
import type { Problem } from "../core/index.ts";
import type { EngineOptions } from "../engine.ts";
import type { CustomerHistory, Trigger } from "../decide/index.ts";
import type { Decision } from "../index.ts";
import type { Profile } from "../profile/index.ts";
import type { CompositionRequest } from "../realtime/index.ts";
import type { ProofSet, ReleaseContent } from "../releases/types.ts";
import type { SampleFiles } from "../studio/samples.ts";
import type { ChannelName } from "../templates/index.ts";

/** What every render worker is started with: where the project lives and how to build its Engine. */
export interface WorkerConfig {
  root: string;
  engine: EngineOptions;
  /** Nice value of each render thread (0 = normal). */
  niceness?: number;
  /** The sample customers a proposed release's proof set is rendered for (default: the studio's). */
  samples?: Partial<SampleFiles>;
}

/** What a render worker posts once its Engine is built and warm, before it takes any task. */
export interface WarmedMessage {
  warmed: number;
}

export type EmailFormat = "html" | "text" | "eml";

export type WorkerTask =
  | { kind: "templates" }
  | { kind: "catalogue" }
  | {
      kind: "render";
      template: string;
      channel: ChannelName;
      format?: EmailFormat;
      runDate: string;
      profile: Profile;
      history: CustomerHistory;
      /** Asks for the decision of record too, made by this run at this time, for the archive. */
      record?: { runId: string; created: string };
    }
  | { kind: "decide"; template: string; runDate: string; profile: Profile; history: CustomerHistory }
  | ({ kind: "compose" } & CompositionRequest)
  | { kind: "proposal"; template: string; runDate: string };

/** What the main thread needs of the catalogue: the ids responses may name, and what events start. */
export interface CatalogueInfo {
  offerIds: string[];
  triggers: Trigger[];
  timeZone: string;
}

/** What `GET /v1/templates` shows of a loaded template package. */
export interface TemplateInfo {
  id: string;
  version: string;
  name: string;
  description?: string;
  languages: string[];
  channels: ChannelName[];
}

export type Rendered = {
  ok: true;
  contentType: string;
  body: Uint8Array;
  /** What the archive keeps when it differs from the answer: an email is archived as the .eml it would send. */
  archive?: { contentType: string; bytes: Uint8Array };
  templateVersion: string;
  /** The items this channel's document shows, in slot order. */
  offerIds: string[];
  /** When asked for: the decision of record to archive with the document. */
  decision?: DecisionInput;
  warnings: Problem[];
};

export type RenderReply = Rendered | { ok: false; problems: Problem[] };

export type DecideReply = { ok: true; decision: Decision } | { ok: false; problems: Problem[] };

/** A template's content as the project's files are now, with the proof set rendered from it. */
export type ProposalReply = { ok: true; content: ReleaseContent; proof: ProofSet } | { ok: false; problems: Problem[] };
