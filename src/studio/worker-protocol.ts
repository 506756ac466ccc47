import type { Composition } from "../compose.ts";
import type { Problem, Result } from "../core/index.ts";
import type { CustomerHistory } from "../decide/index.ts";
import type { EngineOptions } from "../engine.ts";
import type { Profile } from "../profile/index.ts";
import type { ChannelName } from "../templates/index.ts";
import type { ReadOptions } from "./raster.ts";

/** What a studio worker starts with: the project folder and the settings the live engine builds with. */
export interface StudioWorkerConfig {
  root: string;
  engine: EngineOptions;
  /** The build of the live engine the worker starts from. */
  engineVersion: number;
}

/**
 * The studio's heavy work, done in a worker thread with a time limit: composing (with the engine of the live
 * build `engineVersion`), drawing and reading PDF pages with pdf.js, and assembling the proof sheet.
 */
export type StudioTask =
  | {
      kind: "compose";
      engineVersion: number;
      template: string;
      runDate: string;
      profile: Profile;
      channels: ChannelName[];
      /** The sample customer's history, so the preview's decision reads it as a run with an archive would. */
      history: CustomerHistory;
      /** An edited catalogue (the offer editor's draft) to decide with in place of the one on disk. */
      catalogue?: DraftCatalogue;
    }
  | ({ kind: "read"; pdf: Uint8Array } & ReadOptions)
  | {
      kind: "proof";
      engineVersion: number;
      template: string;
      runDate: string;
      customers: { profile: Profile; label: string }[];
    };

/** A catalogue's text as edited in the studio, not saved: `file` names it in problems. */
export interface DraftCatalogue {
  file: string;
  text: string;
}

export type ComposeReply = Result<Composition>;
export interface ReadReply {
  images?: Result<Uint8Array[]>;
  texts?: string[];
}
export interface ProofReply {
  bytes: Uint8Array;
  problems: Problem[];
}
