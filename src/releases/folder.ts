import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import type { Archive } from "../archive/index.ts";
import { type Problem, ProblemError, problem, sha256Hex } from "../core/index.ts";
import { contentFault, listingHash } from "./content.ts";
import type { ProofDocument, ProofSet, Release, ReleaseContent, ReleaseStep } from "./types.ts";

/**
 * A release as a plain folder, to carry it from one archive to another (test to production) or keep it
 * elsewhere: `release.json` names the release, its steps and every file with its SHA-256; `files/` holds the
 * content under its release-folder paths and `proof/` the proof set under `<customer>/<channel>.<ext>`.
 */
export const RELEASE_JSON = "release.json";

interface FolderListing {
  id: string;
  template: string;
  version: string;
  state: Release["state"];
  proofHash?: string;
  steps: ReleaseStep[];
  files: { path: string; sha256: string }[];
  proof?: Omit<ProofSet, "documents"> & { documents: Omit<ProofDocument, "bytes">[] };
}

/** Writes the release, its content and its proof set (once proposed) into `dir`. */
export async function exportRelease(archive: Archive, release: Release, dir: string): Promise<void> {
  const content = await archive.releaseContent(release.id);
  if (!content)
    throw new ProblemError([problem("OMD_RELEASE_UNKNOWN", `the archive holds no content of ${release.id}`)]);
  const proof = await archive.releaseProof(release.id);
  const listing: FolderListing = {
    id: release.id,
    template: release.template,
    version: release.templateVersion,
    state: release.state,
    ...(release.proofHash && { proofHash: release.proofHash }),
    steps: release.steps,
    files: content.files.map(({ path, sha256 }) => ({ path, sha256 })),
    ...(proof && {
      proof: { ...proof, documents: proof.documents.map(({ bytes: _, ...d }) => d) },
    }),
  };
  for (const f of content.files) write(join(dir, "files", f.path), f.bytes);
  for (const d of proof?.documents ?? []) write(join(dir, "proof", d.path), d.bytes);
  write(join(dir, RELEASE_JSON), `${JSON.stringify(listing, null, 2)}\n`);
}

/**
 * Reads a release folder, checking every file against `release.json` and the release's id against its files
 * (OMD_RELEASE_FOLDER naming the first that does not match), and keeps it in the archive with its steps as
 * they were. A release the archive already holds is left as it stands (`created: false`).
 */
export async function importRelease(archive: Archive, dir: string): Promise<{ created: boolean; release: Release }> {
  const { listing, content, proof } = readFolder(dir);
  const [first, ...rest] = listing.steps;
  const id = { id: listing.id, template: listing.template, templateVersion: listing.version };
  const saved = await archive.saveRelease(id, content, first, first.action === "propose" ? proof : undefined);
  if (!saved.created) return saved;
  for (const step of rest) {
    const moved =
      step.action === "publish"
        ? (await archive.publishRelease(listing.id, [step.from ?? "approved"], step)).published
        : await archive.moveRelease(
            listing.id,
            step.from === null ? [] : [step.from],
            step,
            step.action === "propose" ? proof : undefined,
          );
    if (!moved)
      throw new ProblemError([
        folderProblem(
          dir,
          RELEASE_JSON,
          `step ${step.action} by ${step.by} at ${step.at} does not follow the one before`,
        ),
      ]);
  }
  const release = await archive.release(listing.id);
  return { created: true, release: release ?? saved.release };
}

/** The folder's listing, content and proof set, every file checked. */
function readFolder(dir: string): { listing: FolderListing; content: ReleaseContent; proof?: ProofSet } {
  const listingPath = join(dir, RELEASE_JSON);
  if (!existsSync(listingPath)) throw new ProblemError([folderProblem(dir, RELEASE_JSON, "is missing")]);
  let listing: FolderListing;
  try {
    listing = JSON.parse(readFileSync(listingPath, "utf8")) as FolderListing;
  } catch (e) {
    throw new ProblemError([folderProblem(dir, RELEASE_JSON, `is not JSON: ${(e as Error).message}`)]);
  }
  const malformed = shapeProblem(listing);
  if (malformed) throw new ProblemError([folderProblem(dir, RELEASE_JSON, malformed)]);

  const files = listing.files.map((f) => ({ ...f, bytes: readListed(dir, "files", f) }));
  const content: ReleaseContent = { template: listing.template, hash: listing.id, files };
  const fault = contentFault(content);
  if (fault) throw new ProblemError([folderProblem(dir, fault.path ? `files/${fault.path}` : "files/", fault.why)]);
  extraFiles(dir, "files", listing.files);

  if (!listing.proof) return { listing, content };
  const documents = listing.proof.documents.map((d) => ({ ...d, bytes: readListed(dir, "proof", d) }));
  extraFiles(dir, "proof", documents);
  const hash = listingHash(documents);
  if (hash !== listing.proof.hash || (listing.proofHash && listing.proofHash !== hash))
    throw new ProblemError([
      folderProblem(
        dir,
        "proof/",
        `the proof documents make proof set ${hash}, not ${listing.proofHash ?? listing.proof.hash}`,
      ),
    ]);
  return { listing, content, proof: { ...listing.proof, documents } };
}

/** A listed file's bytes, which must match its SHA-256. */
function readListed(dir: string, under: string, f: { path: string; sha256: string }): Uint8Array {
  const at = `${under}/${f.path}`;
  const path = join(dir, under, f.path);
  if (relative(join(dir, under), path).startsWith("..") || !existsSync(path))
    throw new ProblemError([folderProblem(dir, at, "is listed in release.json but missing")]);
  const bytes = readFileSync(path);
  if (sha256Hex(bytes) !== f.sha256)
    throw new ProblemError([folderProblem(dir, at, `does not match its SHA-256 in release.json (${f.sha256})`)]);
  return bytes;
}

/** A file under `files/` or `proof/` that release.json does not list: someone added to the release. */
function extraFiles(dir: string, under: string, listed: readonly { path: string }[]): void {
  const known = new Set(listed.map((f) => f.path));
  const root = join(dir, under);
  if (!existsSync(root)) return;
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = relative(root, join(entry.parentPath, entry.name)).replaceAll("\\", "/");
    if (!known.has(path))
      throw new ProblemError([folderProblem(dir, `${under}/${path}`, "is not listed in release.json")]);
  }
}

function shapeProblem(l: FolderListing): string | undefined {
  if (typeof l !== "object" || l === null) return "is not an object";
  if (typeof l.id !== "string" || !/^[0-9a-f]{64}$/.test(l.id)) return "has no release id (64 hex)";
  if (typeof l.template !== "string" || typeof l.version !== "string") return "has no template and version";
  if (!Array.isArray(l.files) || l.files.some((f) => typeof f?.path !== "string" || typeof f?.sha256 !== "string"))
    return "has no list of files with their SHA-256";
  if (!Array.isArray(l.steps) || l.steps.length === 0) return "has no steps";
  if (l.proof && !Array.isArray(l.proof.documents)) return "has a proof set without documents";
  return undefined;
}

function folderProblem(dir: string, file: string, why: string): Problem {
  return problem(
    "OMD_RELEASE_FOLDER",
    `${file} ${why}`,
    join(dir, file),
    "export the release again (omnidoc release export); a release folder is kept as it was written",
  );
}

function write(path: string, data: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
}
