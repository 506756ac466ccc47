import { afterAll, describe, expect, it } from "vitest";
import type { Archive } from "../../src/archive/index.ts";
import type { Result } from "../../src/core/index.ts";
import { releaseDesk } from "../../src/releases/desk.ts";
import { archives, postgresBackend, sqliteBackend } from "../archive/backends.ts";
import { content, proof } from "../support/releases.ts";

/** A clock that moves a minute each time it is read. */
function minutes(start = "2026-11-02T09:00:00Z") {
  let t = new Date(start).getTime();
  return () => {
    const now = new Date(t);
    t += 60_000;
    return now;
  };
}

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.code}: ${p.message}`).join("\n"));
  return r.value;
}

const code = (r: Result<unknown>) => (r.ok ? "ok" : r.problems[0].code);

describe.each([
  ["sqlite", sqliteBackend],
  ["postgres", postgresBackend],
])("the release desk: %s", (_name, makeBackend) => {
  const pool = archives(makeBackend());
  afterAll(() => pool.cleanup());
  const desk = (a: Archive) => releaseDesk(a, minutes());

  it("saves, proposes, approves and publishes, each step by its person at the clock's time", async () => {
    const d = desk(await pool.fresh());
    const c = content();
    const p = proof();
    const saved = value(await d.save(c, { name: "ada" }));
    expect(saved.created).toBe(true);
    expect(saved.release).toMatchObject({
      id: c.hash,
      template: "energy-bill",
      templateVersion: "1.1.0",
      state: "draft",
    });
    expect(value(await d.save(c, { name: "eve" }))).toEqual({ created: false, release: saved.release });
    const proposed = value(await d.propose(c, p, { name: "ada", comment: "new tariff wording" }));
    expect(proposed).toMatchObject({ state: "review", proofHash: p.hash });
    const approved = value(await d.approve(c.hash.slice(0, 8), { name: "grace", seen: p.hash }));
    expect(approved.state).toBe("approved");
    const { release, retired } = value(await d.publish(c.hash.slice(0, 12), { name: "grace" }));
    expect(retired).toBeUndefined();
    expect(release.state).toBe("released");
    expect(release.steps.map((s) => [s.action, s.from, s.to, s.by, s.at, s.comment ?? null])).toEqual([
      ["save", null, "draft", "ada", "2026-11-02T09:00:00.000Z", null],
      ["propose", "draft", "review", "ada", "2026-11-02T09:01:00.000Z", "new tariff wording"],
      ["approve", "review", "approved", "grace", "2026-11-02T09:02:00.000Z", null],
      ["publish", "approved", "released", "grace", "2026-11-02T09:03:00.000Z", null],
    ]);
    expect((await d.released("energy-bill"))?.id).toBe(c.hash);
    expect(await d.released("gas-bill")).toBeUndefined();
    expect(value(await d.proof(c.hash.slice(0, 8))).proof.hash).toBe(p.hash);
  });

  it("proposes new content at once; four eyes; the proof hash seen; a rejection and its comments", async () => {
    const d = desk(await pool.fresh());
    const c = content();
    const p = proof();
    expect(value(await d.propose(c, p, { name: "ada" })).steps.map((s) => s.action)).toEqual(["propose"]);
    const own = await d.approve(c.hash, { name: "ada", seen: p.hash });
    expect(code(own)).toBe("OMD_RELEASE_FOUR_EYES");
    expect(own.ok || own.problems[0].message).toMatch(/^ada proposed/);
    expect(code(await d.approve(c.hash, { name: "grace", seen: proof("2").hash }))).toBe("OMD_RELEASE_SEEN");
    expect(code(await d.reject(c.hash, { name: "grace", comment: "" }))).toBe("OMD_RELEASE_COMMENT");
    expect(value(await d.reject(c.hash, { name: "grace", comment: "logo blurred" })).state).toBe("rejected");
    const again = await d.propose(c, p, { name: "ada" });
    expect(code(again)).toBe("OMD_RELEASE_REJECTED");
    expect(again.ok || again.problems[0].message).toContain('"logo blurred"');
    expect(code(await d.save(c, { name: "ada" }))).toBe("OMD_RELEASE_REJECTED");
    expect(code(await d.publish(c.hash, { name: "grace" }))).toBe("OMD_RELEASE_STATE");
  });

  it("publishing retires the release before; publishing that one again rolls back; retire ends a release", async () => {
    const d = desk(await pool.fresh());
    const ids: string[] = [];
    for (const variant of ["1", "2"]) {
      const c = content("energy-bill", variant);
      value(await d.propose(c, proof(variant), { name: "ada" }));
      value(await d.approve(c.hash, { name: "grace", seen: proof(variant).hash }));
      ids.push(c.hash);
    }
    value(await d.publish(ids[0], { name: "grace" }));
    const second = value(await d.publish(ids[1], { name: "grace" }));
    expect(second.retired).toMatchObject({ id: ids[0], state: "retired" });
    const rollback = value(await d.publish(ids[0], { name: "linus", comment: "the new wording confused people" }));
    expect(rollback.release.state).toBe("released");
    expect(rollback.retired).toMatchObject({ id: ids[1], state: "retired" });
    expect(value(await d.retire(ids[0], { name: "linus" })).state).toBe("retired");
    expect(await d.released("energy-bill")).toBeUndefined();
    expect(code(await d.retire(ids[0], { name: "linus" }))).toBe("OMD_RELEASE_STATE");
    expect((await d.list({ state: "retired" })).map((r) => r.id)).toEqual([ids[0], ids[1]]);
  });

  it("finds a release by a unique prefix of 8 or more hex digits, and says why not", async () => {
    const d = desk(await pool.fresh());
    // Ids chosen to share their first 9 digits (content hashes would need 65 536 releases to).
    const [c, twin] = ["1", "2"].map((v) => ({ ...content("energy-bill", v), hash: `1a2b3c4d5${v.repeat(55)}` }));
    for (const x of [c, twin]) value(await d.save(x, { name: "ada" }));
    expect(value(await d.find(c.hash.toUpperCase())).id).toBe(c.hash);
    expect(value(await d.find(` ${c.hash.slice(0, 10)} `)).id).toBe(c.hash);
    const both = await d.find("1a2b3c4d5");
    expect(code(both)).toBe("OMD_RELEASE_AMBIGUOUS");
    expect(both.ok || both.problems[0].message).toBe("2 releases have ids starting 1a2b3c4d5: 1a2b3c4d, 1a2b3c4d…");
    expect(code(await d.find("1a2b3c4"))).toBe("OMD_RELEASE_UNKNOWN");
    expect(code(await d.find("zzzzzzzz"))).toBe("OMD_RELEASE_UNKNOWN");
    expect(code(await d.find("0".repeat(64)))).toBe("OMD_RELEASE_UNKNOWN");
    expect(code(await d.approve("1a2b3c4d", { name: "grace", seen: "0".repeat(64) }))).toBe("OMD_RELEASE_AMBIGUOUS");
  });

  it("answers a move another person made between the read and the write with the state it is in now", async () => {
    const a = await pool.fresh();
    const c = content();
    const p = proof();
    const d = desk(a);
    value(await d.propose(c, p, { name: "ada" }));
    const both = await Promise.all([
      d.approve(c.hash, { name: "grace", seen: p.hash }),
      d.reject(c.hash, { name: "linus", comment: "logo blurred" }),
    ]);
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    expect(both.map(code).filter((x) => x !== "ok")).toEqual(["OMD_RELEASE_STATE"]);
  });
});
