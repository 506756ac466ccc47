import type { Archive } from "../archive/index.ts";
import { type Problem, type Result, fail, ok, parseYaml, problem } from "../core/index.ts";
import { type AllowedMove, type ReleaseRequest, allowMove, shortId } from "./lifecycle.ts";
import type { ProofSet, Release, ReleaseContent, ReleaseState } from "./types.ts";

/**
 * The release desk: the one place people's release requests are decided and recorded, over the archive, for
 * the command line and the API alike. It reads the clock it is given; the archive never does.
 */
export interface ReleaseDesk {
  /** A release by its id or a unique prefix of 8 or more hex digits. */
  find(id: string): Promise<Result<Release>>;
  list(filter?: { template?: string; state?: ReleaseState }): Promise<Release[]>;
  /** The template's released release, if it has one. */
  released(template: string): Promise<Release | undefined>;
  proof(id: string): Promise<Result<{ release: Release; proof: ProofSet }>>;
  /** Keeps content as a draft; content already kept is answered as it stands (`created: false`). */
  save(content: ReleaseContent, by: Person): Promise<Result<{ created: boolean; release: Release }>>;
  /** Sends content (new, or a kept draft) to review, with the proof set rendered from it frozen beside it. */
  propose(content: ReleaseContent, proof: ProofSet, by: Person): Promise<Result<Release>>;
  approve(id: string, by: Person & { seen: string }): Promise<Result<Release>>;
  reject(id: string, by: Person & { comment: string }): Promise<Result<Release>>;
  /** Makes the release the template's released one; `retired` is the one released before it. */
  publish(id: string, by: Person): Promise<Result<{ release: Release; retired?: Release }>>;
  retire(id: string, by: Person): Promise<Result<Release>>;
}

/** Who asks, and what they say with it. */
export interface Person {
  name: string;
  comment?: string;
}

const PREFIX = /^[0-9a-f]{8,64}$/;

export function releaseDesk(archive: Archive, clock: () => Date): ReleaseDesk {
  const request = (action: ReleaseRequest["action"], by: Person, seen?: string): ReleaseRequest => ({
    action,
    by: by.name,
    at: clock().toISOString(),
    ...(by.comment !== undefined && { comment: by.comment }),
    ...(seen !== undefined && { seen }),
  });

  const find = async (given: string): Promise<Result<Release>> => {
    const id = given.trim().toLowerCase();
    if (!PREFIX.test(id))
      return fail(
        problem(
          "OMD_RELEASE_UNKNOWN",
          `"${given}" is not a release id`,
          given,
          "name a release by its id, or by 8 or more of its first hex digits",
        ),
      );
    const found = await archive.releases({ idPrefix: id });
    if (found.length === 1) return ok(found[0]);
    if (found.length === 0)
      return fail(problem("OMD_RELEASE_UNKNOWN", `no release has an id starting ${id}`, given, "omnidoc release list"));
    return fail(
      problem(
        "OMD_RELEASE_AMBIGUOUS",
        `${found.length} releases have ids starting ${id}: ${found.map((r) => shortId(r.id)).join(", ")}…`,
        given,
        "give more of the id",
      ),
    );
  };

  const reread = async (id: string) => (await archive.release(id)) as Release;

  /**
   * A move the rules allow, by compare and set. Should someone else move the release between the read and
   * the write, the rules answer again for the state it is in now.
   */
  const move = async (
    release: Release,
    asked: ReleaseRequest,
    write: (allowed: AllowedMove) => Promise<boolean>,
  ): Promise<Result<Release>> => {
    const allowed = allowMove(release, asked);
    if (!allowed.ok) return allowed;
    if (await write(allowed.value)) return ok(await reread(release.id));
    const now = await reread(release.id);
    const again = allowMove(now, asked);
    return again.ok ? fail(movedMeanwhile(now)) : again;
  };

  const moveById = async (id: string, asked: ReleaseRequest) => {
    const found = await find(id);
    if (!found.ok) return found;
    return move(found.value, asked, ({ from, step }) => archive.moveRelease(found.value.id, from, step));
  };

  return {
    find,
    list: (filter = {}) => archive.releases(filter),
    released: async (template) => (await archive.releases({ template, state: "released" }))[0],
    proof: async (id) => {
      const found = await find(id);
      if (!found.ok) return found;
      const proof = await archive.releaseProof(found.value.id);
      if (!proof)
        return fail(
          problem(
            "OMD_RELEASE_STATE",
            `release ${shortId(found.value.id)} is ${found.value.state} and has no proof set: proposing it renders one`,
            found.value.id,
          ),
        );
      return ok({ release: found.value, proof });
    },
    save: async (content, by) => {
      const kept = await archive.release(content.hash);
      // Saving what is kept already changes nothing, unless a reviewer turned it down.
      if (kept && kept.state !== "rejected") return ok({ created: false, release: kept });
      const allowed = allowMove(kept, request("save", by));
      if (!allowed.ok) return allowed;
      return ok(await archive.saveRelease(identity(content), content, allowed.value.step));
    },
    propose: async (content, proof, by) => {
      const asked = request("propose", by);
      const kept = await archive.release(content.hash);
      if (kept) return move(kept, asked, ({ from, step }) => archive.moveRelease(kept.id, from, step, proof));
      const allowed = allowMove(undefined, asked);
      if (!allowed.ok) return allowed;
      const saved = await archive.saveRelease(identity(content), content, allowed.value.step, proof);
      if (saved.created) return ok(saved.release);
      // Kept by someone else since the read: proposed as what it is now.
      return move(saved.release, asked, ({ from, step }) => archive.moveRelease(content.hash, from, step, proof));
    },
    approve: (id, by) => moveById(id, request("approve", by, by.seen)),
    reject: (id, by) => moveById(id, request("reject", by)),
    publish: async (id, by) => {
      const found = await find(id);
      if (!found.ok) return found;
      let retired: string | undefined;
      const published = await move(found.value, request("publish", by), async ({ from, step }) => {
        const outcome = await archive.publishRelease(found.value.id, from, step);
        retired = outcome.retired;
        return outcome.published;
      });
      if (!published.ok) return published;
      return ok({ release: published.value, ...(retired !== undefined && { retired: await reread(retired) }) });
    },
    retire: (id, by) => moveById(id, request("retire", by)),
  };
}

/** The release's name and version, as the content's own template.yaml gives them. */
function identity(content: ReleaseContent): Pick<Release, "id" | "template" | "templateVersion"> {
  return { id: content.hash, template: content.template, templateVersion: templateVersion(content) };
}

/** The package's `version` (the engine built this content, so it is there); empty should it not be. */
function templateVersion(content: ReleaseContent): string {
  const path = `templates/${content.template}/template.yaml`;
  const file = content.files.find((f) => f.path === path);
  if (!file) return "";
  const parsed = parseYaml(path, Buffer.from(file.bytes).toString("utf8"), "OMD_TEMPLATE_MANIFEST_INVALID");
  const version = parsed.ok ? (parsed.value.value as { version?: unknown } | null)?.version : undefined;
  return version === undefined || version === null ? "" : String(version);
}

function movedMeanwhile(release: Release): Problem {
  const last = release.steps.at(-1);
  return problem(
    "OMD_RELEASE_STATE",
    `release ${shortId(release.id)} was moved meanwhile: it is ${release.state} now (${last?.action} by ${last?.by})`,
    release.id,
    "look at it again, then ask again",
  );
}
