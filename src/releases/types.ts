import type { Problem } from "../core/index.ts";
import type { ChannelName } from "../templates/index.ts";

/**
 * A release: one template package with the catalogue and theme it was proofed with, named by the SHA-256 of
 * their content. It moves `draft → review → approved → released → retired`; a version the reviewer turns
 * down is `rejected` (its content can never be released; a changed version is a new release). Publishing a
 * release retires the template's release before it, and publishing a retired release again is a rollback.
 */
export const RELEASE_STATES = ["draft", "review", "approved", "released", "retired", "rejected"] as const;
export type ReleaseState = (typeof RELEASE_STATES)[number];

/** What people do to a release; `save` makes a draft (the studio's "save as draft"). */
export const RELEASE_ACTIONS = ["save", "propose", "approve", "reject", "publish", "retire"] as const;
export type ReleaseAction = (typeof RELEASE_ACTIONS)[number];

/**
 * One file of a release, by its place in a release folder: `templates/<id>/…` for the template package,
 * `catalogue.yaml`, `theme.yaml`, and any other file the engine read for the template (fonts, images) under
 * the path the theme or template names it by (relative to the project root, e.g. `node_modules/dejavu-fonts-ttf/…`).
 */
export interface ReleaseFile {
  path: string;
  sha256: string;
  bytes: Uint8Array;
}

/** What a release is made of. `hash` is the release's id: SHA-256 over the sorted lines `path\0sha256`. */
export interface ReleaseContent {
  template: string;
  hash: string;
  files: ReleaseFile[];
}

/** One rendered document of the proof set: a channel of one sample customer. */
export interface ProofDocument {
  customerId: string;
  /** Why the customer is in the sample set (`Cyrillic name`). */
  label: string;
  channel: ChannelName;
  /** Its place in the proof folder: `<customerId>/<channel>.<pdf|eml|txt>`. */
  path: string;
  contentType: string;
  sha256: string;
  bytes: Uint8Array;
  /** PDF page count. */
  pages?: number;
}

/**
 * Every channel of every sample customer, rendered when the release is proposed and frozen with it. `hash`
 * (SHA-256 over the sorted lines `path\0sha256`) is what an approver must have seen: approving names it.
 */
export interface ProofSet {
  hash: string;
  runDate: string;
  documents: ProofDocument[];
  /** Customers or channels that could not be rendered, with why. */
  problems: Problem[];
}

/** One move of a release, kept for ever: who did what and when. */
export interface ReleaseStep {
  action: ReleaseAction;
  from: ReleaseState | null;
  to: ReleaseState;
  /** The person: an API key's name over HTTP, `--as` (or the login name) on the command line. */
  by: string;
  /** ISO 8601 timestamp, chosen by the caller (the archive never reads the clock). */
  at: string;
  /** A reviewer's comments (required to reject), or a note with any other move. */
  comment?: string;
  /** On approve: the proof set hash the approver saw. */
  seen?: string;
}

export interface Release {
  /** The content hash (64 hex); people may name it by a unique prefix of 8 or more. */
  id: string;
  template: string;
  /** The template package's own `version` from template.yaml, for people. */
  templateVersion: string;
  state: ReleaseState;
  /** The proof set's hash, once proposed. */
  proofHash?: string;
  /** Every move, oldest first; the first is `save` or `propose`. */
  steps: ReleaseStep[];
}

/** A release's own problems, with the HTTP status each answers with. */
export const RELEASE_PROBLEM_STATUS = {
  OMD_RELEASE_UNKNOWN: 404,
  OMD_RELEASE_AMBIGUOUS: 400,
  OMD_RELEASE_STATE: 409,
  OMD_RELEASE_FOUR_EYES: 403,
  OMD_RELEASE_SEEN: 409,
  OMD_RELEASE_REJECTED: 409,
  OMD_RELEASE_COMMENT: 400,
  OMD_RELEASE_REQUIRED: 409,
  OMD_RELEASE_FOLDER: 400,
} as const;

/** Customers who would get a different offer in one slot: from the base version's offer to the new one's. */
export interface OfferMove {
  slot: string;
  segment: string;
  /** Offer or message id; null when the slot was (or becomes) empty. */
  from: string | null;
  to: string | null;
  customers: number;
  /** A few of their ids, first in input order, for a person to look at. */
  examples: string[];
}

/** What a change does to decisions: the base version (the released one) against the new one, same customers. */
export interface DecisionImpact {
  runDate: string;
  customers: number;
  /** Customers whose decision differs in any slot. */
  changed: number;
  /** Per slot and segment, biggest first. */
  moves: OfferMove[];
  /** Customers whose statement changes page count (only when pages were compared). */
  pageChanges?: { customerId: string; from: number; to: number }[];
  /** Records that could not be read or decided, with where and why. */
  problems: Problem[];
  elapsedMs: number;
}

/** A word diff of one text (an SMS, an email's subject or text part): runs of kept, removed and added words. */
export type WordDiff = { kind: "same" | "removed" | "added"; text: string }[];

/** One PDF page or email screenshot compared: both images and the changed pixels highlighted. */
export interface ImageDiff {
  page: number;
  changedPixels: number;
  /** PNG of the base, the new version, and the new version with changed pixels highlighted; absent when unchanged. */
  base?: Uint8Array;
  next?: Uint8Array;
  highlighted?: Uint8Array;
}

/** One customer's documents in the base and the new version, compared channel by channel. */
export interface DocumentDiff {
  customerId: string;
  label: string;
  pdf?: { basePages: number; nextPages: number; pages: ImageDiff[] };
  /** `screenshot` is absent when Chromium could not show the emails (a problem says why). */
  email?: { subject: WordDiff; text: WordDiff; screenshot?: ImageDiff };
  sms?: WordDiff;
  /** True when nothing differs on any channel. */
  unchanged: boolean;
}
