import { sha256Hex } from "../core/index.ts";
import {
  type ProofDocument,
  type ProofSet,
  RELEASE_ACTIONS,
  RELEASE_STATES,
  type Release,
  type ReleaseContent,
  type ReleaseState,
  type ReleaseStep,
} from "../releases/types.ts";
import { type Dialect, unless } from "./relationship.ts";

/**
 * The release store as both backends read and write it: the SQL (parameters `@name`, like the outbox's), the
 * rows as the archive gives them, and the checks on what callers hand in. The bytes of release files and proof
 * documents live in the blob store beside the documents'; these rows point at them by hash.
 */

type Row = Record<string, unknown>;

/** A release's row as the stores write it. */
export interface ReleaseRow {
  id: string;
  template: string;
  templateVersion: string;
  state: ReleaseState;
  proofHash: string | null;
}

/** A step as the stores write it: unset values NULL. */
export interface ReleaseStepRow {
  action: string;
  from: ReleaseState | null;
  to: ReleaseState;
  by: string;
  at: string;
  comment: string | null;
  seen: string | null;
}

/** A file of a release or a document of a proof set, without its bytes (those go to the blob store). */
export interface ReleaseFileRow {
  path: string;
  sha256: string;
}

export interface ProofRows {
  hash: string;
  runDate: string;
  problems: string;
  documents: Omit<ProofDocument, "bytes">[];
}

/** A compare and set: release `id` moves to `step.to` only from one of `from`; `proof` freezes its proof set. */
export interface ReleaseMove {
  id: string;
  from: ReleaseState[];
  step: ReleaseStepRow;
  proof?: ProofRows;
}

/** The stores need the proof hash beside the move when it freezes one. */
export const stateChange = (m: ReleaseMove, state: ReleaseState | null) => ({
  id: m.id,
  to: m.step.to,
  proofHash: m.proof?.hash ?? null,
  state,
});

export const INSERT_RELEASE = `INSERT INTO releases (id, template, template_version, state, proof_hash)
  VALUES (@id, @template, @templateVersion, @state, @proofHash) ON CONFLICT (id) DO NOTHING RETURNING id`;

export const ADD_RELEASE_STEP = `INSERT INTO release_steps (release_id, action, from_state, to_state, by_name, at,
  comment, seen) VALUES (@id, @action, @from, @to, @by, @at, @comment, @seen)`;

export const ADD_RELEASE_FILE = `INSERT INTO release_files (release_id, path, sha256) VALUES (@id, @path, @sha256)`;

/** A release proposed again after a change of mind keeps only its last proof set. */
export const DROP_PROOF = [
  "DELETE FROM proof_documents WHERE release_id = @id",
  "DELETE FROM proof_sets WHERE release_id = @id",
];

export const ADD_PROOF_SET = `INSERT INTO proof_sets (release_id, hash, run_date, problems)
  VALUES (@id, @hash, @runDate, @problems)`;

export const ADD_PROOF_DOCUMENT = `INSERT INTO proof_documents (release_id, path, customer_id, label, channel,
  content_type, sha256, pages) VALUES (@id, @path, @customerId, @label, @channel, @contentType, @sha256, @pages)`;

/** The state a move starts from, read inside its transaction (PostgreSQL adds `FOR UPDATE`). */
export const RELEASE_STATE = "SELECT state, template FROM releases WHERE id = @id";

export const SET_RELEASE_STATE = `UPDATE releases SET state = @to, proof_hash = coalesce(@proofHash, proof_hash)
  WHERE id = @id AND state = @state`;

export const RELEASED = "SELECT id FROM releases WHERE template = @template AND state = 'released'";

/** Newest first by their last step: steps are numbered in the order compare and set let them happen. */
export const SELECT_RELEASES = `SELECT r.id, r.template, r.template_version AS "templateVersion", r.state,
  r.proof_hash AS "proofHash" FROM releases r
  WHERE ${unless("id", "r.id = @id")} AND ${unless("template", "r.template = @template")}
    AND ${unless("state", "r.state = @state")} AND ${unless("prefix", "substr(r.id, 1, length(@prefix)) = @prefix")}
  ORDER BY (SELECT max(s.seq) FROM release_steps s WHERE s.release_id = r.id) DESC, r.id`;

export const selectReleaseSteps = (d: Dialect) => `SELECT release_id AS "releaseId", action, from_state AS "from",
  to_state AS "to", by_name AS "by", at, comment, seen FROM release_steps WHERE ${d.oneOf("release_id", "ids")}
  ORDER BY release_id, seq`;

export const RELEASE_FILES = "SELECT path, sha256 FROM release_files WHERE release_id = @id";

export const PROOF_SET = `SELECT hash, run_date AS "runDate", problems FROM proof_sets WHERE release_id = @id`;

export const PROOF_DOCUMENTS = `SELECT path, customer_id AS "customerId", label, channel, content_type AS "contentType",
  sha256, pages FROM proof_documents WHERE release_id = @id`;

/** Blobs something points at: a document, a release's file, a proof set's document. */
export const referencedBlobs = (d: Dialect) => `SELECT sha256 FROM documents WHERE ${d.oneOf("sha256", "hashes")}
  UNION SELECT sha256 FROM release_files WHERE ${d.oneOf("sha256", "hashes")}
  UNION SELECT sha256 FROM proof_documents WHERE ${d.oneOf("sha256", "hashes")}`;

/** Releases with the step rows of all of them, each given its own, oldest first. */
export function withReleaseSteps(releases: Row[], stepRows: Row[]): Release[] {
  const steps = new Map<string, ReleaseStep[]>();
  for (const row of stepRows) {
    const id = String(row.releaseId);
    const step: ReleaseStep = {
      action: String(row.action) as ReleaseStep["action"],
      from: row.from == null ? null : (String(row.from) as ReleaseState),
      to: String(row.to) as ReleaseState,
      by: String(row.by),
      at: String(row.at),
      ...(row.comment != null && { comment: String(row.comment) }),
      ...(row.seen != null && { seen: String(row.seen) }),
    };
    steps.set(id, [...(steps.get(id) ?? []), step]);
  }
  return releases.map((row) => ({
    id: String(row.id),
    template: String(row.template),
    templateVersion: String(row.templateVersion),
    state: String(row.state) as ReleaseState,
    ...(row.proofHash != null && { proofHash: String(row.proofHash) }),
    steps: steps.get(String(row.id)) ?? [],
  }));
}

/** By path, byte for byte, the same on both backends whatever the database's collation. */
export const byPath = <T extends { path: string }>(rows: T[]): T[] =>
  rows.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

export function toProofDocument(row: Row): Omit<ProofDocument, "bytes"> {
  return {
    customerId: String(row.customerId),
    label: String(row.label),
    channel: String(row.channel) as ProofDocument["channel"],
    path: String(row.path),
    contentType: String(row.contentType),
    sha256: String(row.sha256),
    ...(row.pages != null && { pages: Number(row.pages) }),
  };
}

const HASH = /^[0-9a-f]{64}$/;
const STATES: ReadonlySet<string> = new Set(RELEASE_STATES);
const ACTIONS: ReadonlySet<string> = new Set(RELEASE_ACTIONS);

/** Callers are the release desk and the import: what is wrong here is a bug there, so it throws. */
function text(value: unknown, what: string): string {
  if (typeof value !== "string" || value === "") throw new TypeError(`archive: ${what} must be a non-empty string`);
  return value;
}

function hash(value: unknown, what: string): string {
  if (typeof value !== "string" || !HASH.test(value)) throw new TypeError(`archive: ${what} must be 64 hex digits`);
  return value;
}

function state(value: unknown): ReleaseState {
  if (!STATES.has(value as string)) throw new TypeError(`archive: "${value}" is not a release state`);
  return value as ReleaseState;
}

/** Bytes whose hash is not the one given would make a release (or a proof) other than the one it names. */
function checkedBytes(f: { path: string; sha256: string; bytes: Uint8Array }, what: string) {
  text(f.path, `${what} path`);
  if (!(f.bytes instanceof Uint8Array)) throw new TypeError(`archive: ${what} ${f.path} bytes must be a Uint8Array`);
  if (sha256Hex(f.bytes) !== hash(f.sha256, `${what} sha256`))
    throw new TypeError(`archive: ${what} ${f.path} does not hash to its sha256`);
}

function unique(paths: string[], what: string) {
  const seen = new Set<string>();
  for (const p of paths) {
    if (seen.has(p)) throw new TypeError(`archive: ${what} ${p} is given twice`);
    seen.add(p);
  }
}

/** The step checked, in UTC; `from` is filled in by the store with the state the release really was in. */
export function describeReleaseStep(s: ReleaseStep): ReleaseStepRow {
  if (!ACTIONS.has(s.action)) throw new TypeError(`archive: "${s.action}" is not a release action`);
  const at = new Date(text(s.at, "step at"));
  if (Number.isNaN(at.getTime())) throw new TypeError(`archive: step at "${s.at}" is not an ISO date-time`);
  return {
    action: s.action,
    from: s.from === null ? null : state(s.from),
    to: state(s.to),
    by: text(s.by, "step by"),
    at: at.toISOString(),
    comment: s.comment === undefined ? null : text(s.comment, "step comment"),
    seen: s.seen === undefined ? null : hash(s.seen, "step seen"),
  };
}

/** A new release's row and files, checked against its content: its id is the content's hash. */
export function describeRelease(
  release: Pick<Release, "id" | "template" | "templateVersion">,
  content: ReleaseContent,
  step: ReleaseStepRow,
  proof: ProofSet | undefined,
): { row: ReleaseRow; files: ReleaseFileRow[] } {
  const id = hash(release.id, "release id");
  if (content.hash !== id) throw new TypeError(`archive: release ${id} is given the content of ${content.hash}`);
  const template = text(release.template, "release template");
  if (content.template !== template)
    throw new TypeError(`archive: release of ${template} is given the content of ${content.template}`);
  if (typeof release.templateVersion !== "string") throw new TypeError("archive: templateVersion must be a string");
  if (content.files.length === 0) throw new TypeError("archive: a release has files");
  for (const f of content.files) checkedBytes(f, "release file");
  unique(
    content.files.map((f) => f.path),
    "release file",
  );
  const first =
    (step.action === "save" && step.to === "draft") || (step.action === "propose" && step.to === "review" && proof);
  if (step.from !== null || !first)
    throw new TypeError("archive: a release starts with a save to draft, or a propose to review with its proof set");
  return {
    row: { id, template, templateVersion: release.templateVersion, state: step.to, proofHash: proof?.hash ?? null },
    files: content.files.map(({ path, sha256 }) => ({ path, sha256 })),
  };
}

export function describeProof(p: ProofSet): ProofRows {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(p.runDate))
    throw new TypeError(`archive: proof runDate "${p.runDate}" is not a date`);
  for (const d of p.documents) {
    checkedBytes(d, "proof document");
    for (const k of ["customerId", "label", "channel", "contentType"] as const) text(d[k], `proof document ${k}`);
  }
  unique(
    p.documents.map((d) => d.path),
    "proof document",
  );
  return {
    hash: hash(p.hash, "proof hash"),
    runDate: p.runDate,
    problems: JSON.stringify(p.problems ?? []),
    documents: p.documents.map(({ bytes: _, ...d }) => d),
  };
}

export function describeReleaseMove(
  id: string,
  from: readonly ReleaseState[],
  step: ReleaseStep,
  proof: ProofSet | undefined,
): ReleaseMove {
  if (!Array.isArray(from) || from.length === 0) throw new TypeError("archive: a move names the states it moves from");
  return {
    id: hash(id, "release id"),
    from: from.map(state),
    step: describeReleaseStep(step),
    ...(proof !== undefined && { proof: describeProof(proof) }),
  };
}

/** Which releases to read; an unset bound (NULL) lets every release through. */
export interface ReleaseFilter {
  id: string | null;
  template: string | null;
  state: ReleaseState | null;
  prefix: string | null;
}

export const releaseFilter = (f: { [K in keyof ReleaseFilter]?: ReleaseFilter[K] | undefined }): ReleaseFilter => ({
  id: f.id ?? null,
  template: f.template ?? null,
  state: f.state ?? null,
  prefix: f.prefix ?? null,
});

/** The step the release published before gets: retired by whoever published, when they did. */
export function retirement(publish: ReleaseMove): ReleaseStepRow {
  const { by, at } = publish.step;
  return {
    action: "retire",
    from: "released",
    to: "retired",
    by,
    at,
    comment: `replaced by ${publish.id}`,
    seen: null,
  };
}
