import type { Problem } from "../core/index.ts";
import type { Decision } from "../decide/index.ts";
import type { EngineOptions } from "../engine.ts";
import type { ChannelName } from "../templates/index.ts";

/**
 * One manifest line: the journal entry of one input record. The manifest is written in input order, so it is
 * always a prefix of the input: `--resume` skips as many records as it has entries and replays them for totals.
 */
export interface ManifestEntry {
  /** 1-based position of the record in the input. */
  record: number;
  /** The input line the record starts on. */
  line: number;
  /**
   * The first 64 bits of the SHA-256 of the record as read from the extract: a resume checks every record it
   * skips against it, so a changed extract cannot pass for the one the run started on.
   */
  source: string;
  id?: string;
  /** `skipped`: the customer is outside the template's audience, so nothing was composed and nothing is wrong. */
  status: "composed" | "skipped" | "rejected";
  /** Why a skipped customer is outside the audience, and the audience rule they missed. */
  reason?: string;
  rule?: string;
  /** Channels rendered for this customer, in pdf, email, sms order. */
  channels: ChannelName[];
  /** The statement goes to the print house: it is merged into a print batch. */
  print: boolean;
  /** Postcode of a print statement, the print batches' sort key. */
  postcode?: string;
  currency?: string;
  /**
   * Balance due of every record whose profile is valid (composed, skipped, or rejected after validation), in
   * the currency's minor unit: the journal's side of the control total the extract's side must equal.
   */
  balanceDueMinor?: number;
  /** Every file written for this record; the SMS is one line of `sms.ndjson`. */
  files: FileEntry[];
  /** Pages of the PDF statement (0 without one). */
  pages: number;
  /** Items the decision chose, in slot order. Counted against caps even when rendering then failed. */
  offers: string[];
  /** Items this customer would have got but for a cap already used up. */
  capped: string[];
  /** Why the record or one of its channels failed: one `rejects.ndjson` line each. */
  problems: EntryProblem[];
  /** The release the record was composed with, in production mode. */
  release?: string;
}

export interface FileEntry {
  /** Relative to the run directory: `pdf/C0000001.pdf`, `email/C0000001.eml`, `sms.ndjson`. */
  path: string;
  bytes: number;
  sha256: string;
}

export interface EntryProblem {
  code: string;
  /** The field at fault, as a JSON pointer, when the problem names one. */
  field?: string;
  /** The channel that could not render, for a channel problem of a composed record. */
  channel?: ChannelName;
  reason: string;
}

/** What a worker is asked to do for one customer. */
export interface ComposeTask {
  record: number;
  line: number;
  profile: unknown;
  channels: ChannelName[];
  /** The decision made in input order (caps counted) before the record was handed out: rendered as it is. */
  decision: Decision;
}

/**
 * Asks a compose thread to build its engine before any record is handed out. What comes back is why it could
 * not, with file and line (a template that does not compile), or nothing.
 */
export interface EngineStart {
  start: "engine";
}

/** What a worker hands back: the files are already on disk, the SMS line is for the journal to append. */
export interface ComposeResult {
  record: number;
  ok: boolean;
  channels: ChannelName[];
  files: FileEntry[];
  pages: number;
  /** The record's `sms.ndjson` line, newline included. */
  smsLine?: string;
  problems: EntryProblem[];
  /** A problem that stops the run (the disk is full): the record is not journaled, `--resume` redoes it. */
  stop?: Problem;
}

/** Settings every worker builds its Engine from and writes with; the same for the whole run. */
export interface WorkerSettings {
  /** Project root the engine reads templates, catalogue and theme from. */
  root: string;
  engine: EngineOptions;
  template: string;
  runDate: string;
  outDir: string;
  /** Record every document in this archive (its URL), under this run id, with the release composed with. */
  archive?: { url: string; runId: string; release?: string };
  /**
   * Documents are written create-only (a distributed run, where a shard may be attempted twice at once)
   * rather than replaced (a local resume composes a damaged document again over it).
   */
  createOnly?: boolean;
}

/** What a print thread needs: where the statements are, and the date that dates the batch files. */
export type PrintSettings = Pick<WorkerSettings, "outDir" | "runDate">;
