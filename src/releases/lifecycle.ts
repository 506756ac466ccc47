import { type Problem, type Result, fail, ok, problem } from "../core/index.ts";
import type { Release, ReleaseAction, ReleaseState, ReleaseStep } from "./types.ts";

/**
 * Which moves a release allows, from which state and by whom: pure rules over a release as the archive holds
 * it. The desk asks here before it moves anything, and the archive's compare and set makes the answer hold.
 */

/** `new`: content the archive does not hold yet. */
export type ReleaseOrigin = ReleaseState | "new";

export const RELEASE_MOVES: Readonly<Record<ReleaseAction, { from: readonly ReleaseOrigin[]; to: ReleaseState }>> = {
  save: { from: ["new"], to: "draft" },
  propose: { from: ["new", "draft"], to: "review" },
  approve: { from: ["review"], to: "approved" },
  reject: { from: ["review"], to: "rejected" },
  // Publishing a retired release again is the rollback.
  publish: { from: ["approved", "retired"], to: "released" },
  retire: { from: ["released", "approved"], to: "retired" },
};

/** What a person asks: `at` is their clock's, read by the caller. */
export interface ReleaseRequest {
  action: ReleaseAction;
  by: string;
  at: string;
  comment?: string;
  /** On approve: the hash of the proof set the approver looked at. */
  seen?: string;
}

/** A move the rules allow: the states the archive may move the release from, and the step to record. */
export interface AllowedMove {
  from: ReleaseState[];
  step: ReleaseStep;
}

/** The first 8 of an id: how people name a release. */
export const shortId = (id: string) => id.slice(0, 8);

/** Who proposed the release: the person its last propose step names. */
export function proposer(release: Release): string | undefined {
  return release.steps.findLast((s) => s.action === "propose")?.by;
}

/**
 * The move `request` asks of `release` (undefined: content not kept yet), or why not. Content a reviewer
 * turned down stays turned down: proposing or saving it again is refused with their comments.
 */
export function allowMove(release: Release | undefined, request: ReleaseRequest): Result<AllowedMove> {
  const rule = RELEASE_MOVES[request.action];
  const state: ReleaseOrigin = release?.state ?? "new";
  if (release?.state === "rejected" && (request.action === "save" || request.action === "propose"))
    return fail(rejected(release));
  if (!rule.from.includes(state)) return fail(wrongState(release, request.action));
  if (release && (request.action === "approve" || request.action === "reject")) {
    const by = proposer(release);
    if (by === request.by) return fail(fourEyes(release, request.action, by));
  }
  if (request.action === "reject" && !request.comment?.trim())
    return fail(
      problem(
        "OMD_RELEASE_COMMENT",
        `rejecting release ${shortId(release?.id ?? "")} needs the reviewer's comments`,
        release?.id,
        "say what to change, so the next version can fix it",
      ),
    );
  if (request.action === "approve" && release && request.seen !== release.proofHash)
    return fail(
      problem(
        "OMD_RELEASE_SEEN",
        request.seen === undefined
          ? `approving release ${shortId(release.id)} names no proof set; its proof set is ${release.proofHash}`
          : `the approval names proof set ${request.seen}, but release ${shortId(release.id)} was proposed with ${release.proofHash}`,
        release.id,
        "look at the release's proof set again, then approve naming its hash",
      ),
    );
  return ok({
    from: rule.from.filter((s): s is ReleaseState => s !== "new"),
    step: {
      action: request.action,
      from: release?.state ?? null,
      to: rule.to,
      by: request.by,
      at: request.at,
      ...(request.comment !== undefined && { comment: request.comment }),
      ...(request.action === "approve" && request.seen !== undefined && { seen: request.seen }),
    },
  });
}

function wrongState(release: Release | undefined, action: ReleaseAction): Problem {
  const allowed = RELEASE_MOVES[action].from;
  const name = release ? `release ${shortId(release.id)}` : "that content";
  const now = release ? `is ${release.state}` : "is not kept as a release yet";
  return problem(
    "OMD_RELEASE_STATE",
    `${name} ${now}: ${action} moves a release only from ${allowed.join(" or ")}`,
    release?.id,
    release ? `its steps: ${release.steps.map((s) => `${s.action} by ${s.by}`).join(", ")}` : undefined,
  );
}

function fourEyes(release: Release, action: "approve" | "reject", by: string | undefined): Problem {
  return problem(
    "OMD_RELEASE_FOUR_EYES",
    `${by} proposed release ${shortId(release.id)}, so ${by} may not ${action} it`,
    release.id,
    "someone other than the proposer reviews it (four eyes)",
  );
}

function rejected(release: Release): Problem {
  const rejection = release.steps.findLast((s) => s.action === "reject");
  const comments = rejection?.comment ? `: "${rejection.comment}"` : "";
  return problem(
    "OMD_RELEASE_REJECTED",
    `release ${shortId(release.id)} of ${release.template} was rejected by ${rejection?.by} at ${rejection?.at}${comments}`,
    release.id,
    "change the template as the review asks and propose the new version",
  );
}
