import { describe, expect, it } from "vitest";
import { type ReleaseRequest, allowMove } from "../../src/releases/lifecycle.ts";
import type { Release, ReleaseState, ReleaseStep } from "../../src/releases/types.ts";

const ID = "1a2b3c4d".padEnd(64, "0");
const PROOF = "9".repeat(64);
const AT = "2026-11-02T09:00:00Z";

const proposed: ReleaseStep = { action: "propose", from: null, to: "review", by: "ada", at: AT };

function release(state: ReleaseState, steps: ReleaseStep[] = [proposed]): Release {
  return { id: ID, template: "energy-bill", templateVersion: "1.1.0", state, proofHash: PROOF, steps };
}

const ask = (action: ReleaseRequest["action"], by = "grace", extra: Partial<ReleaseRequest> = {}): ReleaseRequest => ({
  action,
  by,
  at: AT,
  ...extra,
});

const moveOf = (r: ReturnType<typeof allowMove>) => (r.ok ? r.value : r.problems);
const codeOf = (r: ReturnType<typeof allowMove>) => (r.ok ? "ok" : r.problems[0].code);

describe("which moves a release allows", () => {
  it("saves new content as a draft", () => {
    expect(moveOf(allowMove(undefined, ask("save", "ada")))).toEqual({
      from: [],
      step: { action: "save", from: null, to: "draft", by: "ada", at: AT },
    });
  });

  it("proposes a draft, or new content at once, to review", () => {
    expect(moveOf(allowMove(release("draft"), ask("propose", "ada")))).toEqual({
      from: ["draft"],
      step: { action: "propose", from: "draft", to: "review", by: "ada", at: AT },
    });
    expect(moveOf(allowMove(undefined, ask("propose", "ada", { comment: "new tariff wording" })))).toEqual({
      from: ["draft"],
      step: { action: "propose", from: null, to: "review", by: "ada", at: AT, comment: "new tariff wording" },
    });
  });

  it("approves a release in review by someone other than the proposer, naming the proof set they saw", () => {
    expect(moveOf(allowMove(release("review"), ask("approve", "grace", { seen: PROOF })))).toEqual({
      from: ["review"],
      step: { action: "approve", from: "review", to: "approved", by: "grace", at: AT, seen: PROOF },
    });
  });

  it("refuses the proposer's own approval or rejection (four eyes), naming who proposed", () => {
    const own = allowMove(release("review"), ask("approve", "ada", { seen: PROOF }));
    expect(codeOf(own)).toBe("OMD_RELEASE_FOUR_EYES");
    expect(own.ok || own.problems[0].message).toBe("ada proposed release 1a2b3c4d, so ada may not approve it");
    expect(codeOf(allowMove(release("review"), ask("reject", "ada", { comment: "meh" })))).toBe(
      "OMD_RELEASE_FOUR_EYES",
    );
  });

  it("refuses an approval naming another proof set than the one frozen, or none", () => {
    const other = allowMove(release("review"), ask("approve", "grace", { seen: "8".repeat(64) }));
    expect(codeOf(other)).toBe("OMD_RELEASE_SEEN");
    expect(other.ok || other.problems[0].message).toContain(PROOF);
    expect(codeOf(allowMove(release("review"), ask("approve", "grace")))).toBe("OMD_RELEASE_SEEN");
  });

  it("rejects a release in review with the reviewer's comments, and only with them", () => {
    expect(moveOf(allowMove(release("review"), ask("reject", "grace", { comment: "logo blurred" })))).toEqual({
      from: ["review"],
      step: { action: "reject", from: "review", to: "rejected", by: "grace", at: AT, comment: "logo blurred" },
    });
    expect(codeOf(allowMove(release("review"), ask("reject")))).toBe("OMD_RELEASE_COMMENT");
    expect(codeOf(allowMove(release("review"), ask("reject", "grace", { comment: "  " })))).toBe("OMD_RELEASE_COMMENT");
  });

  it("publishes an approved release, or a retired one again (the rollback)", () => {
    for (const state of ["approved", "retired"] as const)
      expect(moveOf(allowMove(release(state), ask("publish")))).toEqual({
        from: ["approved", "retired"],
        step: { action: "publish", from: state, to: "released", by: "grace", at: AT },
      });
  });

  it("retires a released or an approved release", () => {
    for (const state of ["released", "approved"] as const)
      expect(moveOf(allowMove(release(state), ask("retire")))).toEqual({
        from: ["released", "approved"],
        step: { action: "retire", from: state, to: "retired", by: "grace", at: AT },
      });
  });

  it("refuses every other move, naming the state and the states the move starts from", () => {
    const allowed: Record<string, string[]> = {
      save: ["new"],
      propose: ["new", "draft"],
      approve: ["review"],
      reject: ["review"],
      publish: ["approved", "retired"],
      retire: ["released", "approved"],
    };
    const states: (ReleaseState | undefined)[] = [undefined, "draft", "review", "approved", "released", "retired"];
    for (const [action, from] of Object.entries(allowed))
      for (const state of states) {
        const r = allowMove(
          state && release(state),
          ask(action as ReleaseRequest["action"], "grace", { seen: PROOF, comment: "ok" }),
        );
        expect([action, state, codeOf(r)]).toEqual([
          action,
          state,
          from.includes(state ?? "new") ? "ok" : "OMD_RELEASE_STATE",
        ]);
      }
    const late = allowMove(release("released"), ask("approve", "grace", { seen: PROOF }));
    expect(late.ok || late.problems[0]).toMatchObject({
      message: "release 1a2b3c4d is released: approve moves a release only from review",
      at: ID,
    });
  });

  it("refuses content that was rejected, however it comes back, with the reviewer's comments", () => {
    const steps: ReleaseStep[] = [
      proposed,
      { action: "reject", from: "review", to: "rejected", by: "grace", at: AT, comment: "logo blurred" },
    ];
    for (const action of ["save", "propose"] as const) {
      const r = allowMove(release("rejected", steps), ask(action, "ada"));
      expect(r.ok || r.problems[0]).toMatchObject({
        code: "OMD_RELEASE_REJECTED",
        message: `release 1a2b3c4d of energy-bill was rejected by grace at ${AT}: "logo blurred"`,
      });
    }
    for (const action of ["approve", "reject", "publish", "retire"] as const)
      expect(codeOf(allowMove(release("rejected", steps), ask(action, "linus", { seen: PROOF, comment: "x" })))).toBe(
        "OMD_RELEASE_STATE",
      );
  });
});
