import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Archive, openArchive } from "../../src/archive/index.ts";
import { sha256Hex } from "../../src/core/index.ts";
import type { ReleaseContent } from "../../src/releases/types.ts";
import { content, proof, step } from "../support/releases.ts";
import { archives, postgresBackend, sqliteBackend } from "./backends.ts";

const who = (c: ReleaseContent, version = "1.1.0") => ({ id: c.hash, template: c.template, templateVersion: version });
const save = (at = "2026-11-02T09:00:00+01:00") => step("save", null, "draft", "ada", at);
const propose = (at: string, from: "draft" | null = "draft") => step("propose", from, "review", "ada", at);
const approve = (at: string, seen: string) => step("approve", "review", "approved", "grace", at, { seen });
const publish = (at: string, by = "grace") => step("publish", "approved", "released", by, at);

/** A release saved, proposed and approved, ready to publish. */
async function approved(a: Archive, variant: string, day: number) {
  const c = content("energy-bill", variant);
  const p = proof(variant);
  await a.saveRelease(who(c), c, propose(`2026-11-${String(day).padStart(2, "0")}T09:00:00Z`, null), p);
  expect(
    await a.moveRelease(c.hash, ["review"], approve(`2026-11-${String(day).padStart(2, "0")}T10:00:00Z`, p.hash)),
  ).toBe(true);
  return c.hash;
}

describe.each([
  ["sqlite", sqliteBackend],
  ["postgres", postgresBackend],
])("archive contract, releases: %s", (_name, makeBackend) => {
  const pool = archives(makeBackend());
  afterAll(() => pool.cleanup());

  it("keeps a draft once: its files by path with their bytes, its first step in UTC; saving again changes nothing", async () => {
    const a = await pool.fresh();
    const c = content();
    const first = await a.saveRelease(who(c), c, save());
    expect(first).toEqual({
      created: true,
      release: {
        id: c.hash,
        template: "energy-bill",
        templateVersion: "1.1.0",
        state: "draft",
        steps: [{ action: "save", from: null, to: "draft", by: "ada", at: "2026-11-02T08:00:00.000Z" }],
      },
    });
    const again = await a.saveRelease(who(c, "9.9.9"), c, step("save", null, "draft", "eve", "2026-11-03T09:00:00Z"));
    expect(again).toEqual({ created: false, release: first.release });
    const kept = await a.releaseContent(c.hash);
    expect(kept?.hash).toBe(c.hash);
    expect(kept?.template).toBe("energy-bill");
    expect(kept?.files.map((f) => f.path)).toEqual([
      "catalogue.yaml",
      "templates/energy-bill/statement.hbs",
      "templates/energy-bill/template.yaml",
      "theme.yaml",
    ]);
    for (const f of kept?.files ?? []) {
      const given = c.files.find((g) => g.path === f.path);
      expect(Buffer.from(f.bytes).equals(Buffer.from(given?.bytes ?? []))).toBe(true);
      expect(f.sha256).toBe(given?.sha256);
    }
    expect(await a.releaseProof(c.hash)).toBeUndefined();
    expect(await a.release("f".repeat(64))).toBeUndefined();
    expect(await a.releaseContent("f".repeat(64))).toBeUndefined();
  });

  it("proposes new content with its proof set frozen: documents by path with bytes, pages and problems", async () => {
    const a = await pool.fresh();
    const c = content();
    const p = proof();
    const { release } = await a.saveRelease(who(c), c, propose("2026-11-02T09:00:00Z", null), p);
    expect(release.state).toBe("review");
    expect(release.proofHash).toBe(p.hash);
    const frozen = await a.releaseProof(c.hash);
    expect(frozen?.hash).toBe(p.hash);
    expect(frozen?.runDate).toBe("2026-11-01");
    expect(frozen?.problems).toEqual(p.problems);
    expect(frozen?.documents.map(({ bytes, ...d }) => ({ ...d, text: Buffer.from(bytes).toString() }))).toEqual([
      {
        customerId: "C0000001",
        label: "Plain",
        channel: "email",
        path: "C0000001/email.eml",
        contentType: "message/rfc822",
        sha256: p.documents[1].sha256,
        text: "C0000001 email proof 1",
      },
      {
        customerId: "C0000001",
        label: "Plain",
        channel: "pdf",
        path: "C0000001/pdf.pdf",
        contentType: "application/pdf",
        sha256: p.documents[0].sha256,
        pages: 2,
        text: "C0000001 pdf proof 1",
      },
      {
        customerId: "C0000002",
        label: "Cyrillic name",
        channel: "pdf",
        path: "C0000002/pdf.pdf",
        contentType: "application/pdf",
        sha256: p.documents[2].sha256,
        pages: 3,
        text: "C0000002 pdf proof 1",
      },
    ]);
  });

  it("moves by compare and set: from a state it is not in, nothing moves and no step is kept", async () => {
    const a = await pool.fresh();
    const c = content();
    const p = proof();
    await a.saveRelease(who(c), c, save());
    expect(await a.moveRelease(c.hash, ["review"], approve("2026-11-02T10:00:00Z", p.hash))).toBe(false);
    expect(await a.moveRelease("f".repeat(64), ["draft"], propose("2026-11-02T10:00:00Z"))).toBe(false);
    expect(await a.moveRelease(c.hash, ["draft"], propose("2026-11-02T10:00:00Z"), p)).toBe(true);
    expect(await a.moveRelease(c.hash, ["draft"], propose("2026-11-02T10:01:00Z"), p)).toBe(false);
    const reject = step("reject", "review", "rejected", "grace", "2026-11-02T11:00:00Z", { comment: "logo blurred" });
    expect(await a.moveRelease(c.hash, ["review"], reject)).toBe(true);
    const release = await a.release(c.hash);
    expect(release?.state).toBe("rejected");
    expect(release?.proofHash).toBe(p.hash);
    expect(release?.steps.map((s) => [s.action, s.from, s.to, s.by])).toEqual([
      ["save", null, "draft", "ada"],
      ["propose", "draft", "review", "ada"],
      ["reject", "review", "rejected", "grace"],
    ]);
    expect(release?.steps[2].comment).toBe("logo blurred");
    expect((await a.releaseProof(c.hash))?.hash).toBe(p.hash);
  });

  it("records the state a release really moved from, whichever of `from` it was in", async () => {
    const a = await pool.fresh();
    const id = await approved(a, "1", 2);
    const retire = step("retire", null, "retired", "grace", "2026-11-02T12:00:00Z");
    expect(await a.moveRelease(id, ["released", "approved"], retire)).toBe(true);
    const last = (await a.release(id))?.steps.at(-1);
    expect(last).toEqual({
      action: "retire",
      from: "approved",
      to: "retired",
      by: "grace",
      at: "2026-11-02T12:00:00.000Z",
    });
  });

  it("approves naming the proof hash seen", async () => {
    const a = await pool.fresh();
    const id = await approved(a, "1", 2);
    const release = await a.release(id);
    expect(release?.state).toBe("approved");
    expect(release?.steps.at(-1)).toEqual({
      action: "approve",
      from: "review",
      to: "approved",
      by: "grace",
      at: "2026-11-02T10:00:00.000Z",
      seen: proof("1").hash,
    });
  });

  it("publishes a release, retiring the one released before; publishing a retired one again rolls back", async () => {
    const a = await pool.fresh();
    const first = await approved(a, "1", 2);
    const second = await approved(a, "2", 3);
    expect(await a.publishRelease(first, ["approved"], publish("2026-11-02T12:00:00Z"))).toEqual({ published: true });
    expect(await a.publishRelease(second, ["approved"], publish("2026-11-03T12:00:00Z", "linus"))).toEqual({
      published: true,
      retired: first,
    });
    expect((await a.release(first))?.steps.at(-1)).toEqual({
      action: "retire",
      from: "released",
      to: "retired",
      by: "linus",
      at: "2026-11-03T12:00:00.000Z",
      comment: `replaced by ${second}`,
    });
    expect((await a.releases({ state: "released" })).map((r) => r.id)).toEqual([second]);
    // A retired release is published again from its state, not from approved.
    expect(await a.publishRelease(first, ["approved"], publish("2026-11-04T12:00:00Z"))).toEqual({ published: false });
    const rollback = step("publish", "retired", "released", "grace", "2026-11-04T12:00:00Z");
    expect(await a.publishRelease(first, ["approved", "retired"], rollback)).toEqual({
      published: true,
      retired: second,
    });
    expect((await a.release(first))?.state).toBe("released");
    expect((await a.release(second))?.state).toBe("retired");
    expect((await a.release(first))?.steps.map((s) => s.action)).toEqual([
      "propose",
      "approve",
      "publish",
      "retire",
      "publish",
    ]);
  });

  it("refuses a move to released outside publishRelease, and content that is not what its id says", async () => {
    const a = await pool.fresh();
    const id = await approved(a, "1", 2);
    await expect(a.moveRelease(id, ["approved"], publish("2026-11-02T12:00:00Z"))).rejects.toThrow(/publishRelease/);
    const c = content("energy-bill", "3");
    await expect(a.saveRelease({ ...who(c), id: content("energy-bill", "4").hash }, c, save())).rejects.toThrow(
      /content of/,
    );
    const tampered = { ...c, files: c.files.map((f, i) => (i === 0 ? { ...f, bytes: new Uint8Array([1]) } : f)) };
    await expect(a.saveRelease(who(c), tampered, save())).rejects.toThrow(/does not hash to its sha256/);
    await expect(a.saveRelease(who(c), c, propose("2026-11-02T09:00:00Z", null))).rejects.toThrow(/proof set/);
    expect(await a.release(c.hash)).toBeUndefined();
  });

  it("lists newest first by last step, by template, state and id prefix, with their steps", async () => {
    const a = await pool.fresh();
    const gas = content("gas-bill", "1");
    await a.saveRelease(who(gas), gas, save("2026-11-05T09:00:00Z"));
    const first = await approved(a, "1", 2);
    const second = await approved(a, "2", 3);
    // Moved last, though its step's clock says earlier: the order is the order the moves happened in.
    await a.moveRelease(first, ["approved"], step("retire", "approved", "retired", "grace", "2026-11-01T00:00:00Z"));
    expect((await a.releases()).map((r) => r.id)).toEqual([first, second, gas.hash]);
    expect((await a.releases({ template: "energy-bill" })).map((r) => r.id)).toEqual([first, second]);
    expect((await a.releases({ template: "energy-bill", state: "approved" })).map((r) => r.id)).toEqual([second]);
    expect((await a.releases({ idPrefix: second.slice(0, 8) })).map((r) => r.id)).toEqual([second]);
    expect(await a.releases({ idPrefix: second })).toHaveLength(1);
    expect(await a.releases({ template: "water-bill" })).toEqual([]);
    const [listed] = await a.releases({ idPrefix: first });
    expect(listed).toEqual(await a.release(first));
    expect(listed.steps).toHaveLength(3);
    await expect(a.releases({ idPrefix: "ABC%" })).rejects.toThrow(/hex/);
  });

  it("sweeps no blob a release file or a proof document points at", async () => {
    const a = await pool.fresh();
    const c = content();
    const p = proof();
    await a.saveRelease(who(c), c, propose("2026-11-02T09:00:00Z", null), p);
    const swept = await a.sweep(new Date(Date.now() + 60_000));
    expect(swept.orphans).toBe(0);
    expect((await a.releaseContent(c.hash))?.files).toHaveLength(4);
    expect((await a.releaseProof(c.hash))?.documents).toHaveLength(3);
  });

  it("lets one of two archives on one database win a move, and one of two publishes of one release", async () => {
    const backend = makeBackend();
    const blobs = mkdtempSync(join(tmpdir(), "omnidoc-blobs-"));
    const url = backend.url(blobs);
    const workers: Archive[] = [];
    try {
      for (const r of await Promise.all([openArchive(url), openArchive(url)])) {
        if (!r.ok) throw new Error(r.problems[0].message);
        workers.push(r.value);
      }
      const c = content();
      const p = proof();
      const saved = await Promise.all(
        workers.map((w) => w.saveRelease(who(c), c, propose("2026-11-02T09:00:00Z", null), p)),
      );
      expect(saved.filter((s) => s.created)).toHaveLength(1);
      const approvals = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          workers[i % 2].moveRelease(c.hash, ["review"], approve(`2026-11-02T10:00:0${i}Z`, p.hash)),
        ),
      );
      expect(approvals.filter(Boolean)).toHaveLength(1);
      const publishes = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          workers[i % 2].publishRelease(c.hash, ["approved"], publish(`2026-11-02T12:00:0${i}Z`)),
        ),
      );
      expect(publishes.filter((o) => o.published)).toHaveLength(1);
      expect((await workers[0].release(c.hash))?.steps.map((s) => s.action)).toEqual(["propose", "approve", "publish"]);
    } finally {
      for (const w of workers) await w.close();
      await backend.cleanup();
      rmSync(blobs, { recursive: true, force: true });
    }
  });

  it("publishes two releases of one template at once in turn: one released, the other retired by it", async () => {
    const backend = makeBackend();
    const blobs = mkdtempSync(join(tmpdir(), "omnidoc-blobs-"));
    const url = backend.url(blobs);
    const workers: Archive[] = [];
    try {
      for (const r of await Promise.all([openArchive(url), openArchive(url)])) {
        if (!r.ok) throw new Error(r.problems[0].message);
        workers.push(r.value);
      }
      const ids = [await approved(workers[0], "1", 2), await approved(workers[0], "2", 3)];
      const outcomes = await Promise.all(
        ids.map((id, i) => workers[i].publishRelease(id, ["approved"], publish("2026-11-04T12:00:00Z"))),
      );
      expect(outcomes.every((o) => o.published)).toBe(true);
      const released = await workers[0].releases({ state: "released" });
      expect(released).toHaveLength(1);
      const other = ids.find((id) => id !== released[0].id);
      expect(outcomes.find((o) => o.retired !== undefined)?.retired).toBe(other);
      expect((await workers[1].release(other as string))?.state).toBe("retired");
    } finally {
      for (const w of workers) await w.close();
      await backend.cleanup();
      rmSync(blobs, { recursive: true, force: true });
    }
  });

  it("keeps the release a document was composed with, and lists it with the customer's documents", async () => {
    const a = await pool.fresh();
    const release = content().hash;
    const bytes = new TextEncoder().encode("%PDF-1.7 statement");
    const base = {
      customerId: "C0000001",
      template: "energy-bill",
      templateVersion: "1.1.0",
      channel: "pdf",
      created: "2026-11-01T06:00:00Z",
      offerIds: [],
      contentType: "application/pdf",
      bytes,
    };
    const recorded = await a.record({ ...base, runId: "run-1", release });
    expect(recorded.release).toBe(release);
    await a.record({ ...base, runId: "run-2", created: "2026-10-01T06:00:00Z" });
    const listed = await a.list("C0000001");
    expect(listed.map((d) => [d.runId, d.release])).toEqual([
      ["run-1", release],
      ["run-2", undefined],
    ]);
    expect(listed[1]).not.toHaveProperty("release");
    expect((await a.get(recorded.id))?.document.release).toBe(release);
  });
});

describe("the sweep of an archive with releases", () => {
  it("still removes a blob nothing points at", async () => {
    const dir = mkdtempSync(join(tmpdir(), "omnidoc-sweep-"));
    try {
      const blobs = join(dir, "blobs");
      const r = await openArchive(`sqlite:${join(dir, "a.db")}?blobs=${blobs}`);
      if (!r.ok) throw new Error(r.problems[0].message);
      const c = content();
      await r.value.saveRelease(who(c), c, save());
      const orphan = sha256Hex("nobody's");
      const path = join(blobs, orphan.slice(0, 2), orphan.slice(2, 4), orphan);
      mkdirSync(join(path, ".."), { recursive: true });
      writeFileSync(path, "nobody's");
      expect(await r.value.sweep(new Date(Date.now() + 60_000))).toEqual({ temporary: 0, orphans: 1 });
      expect(existsSync(path)).toBe(false);
      expect((await r.value.releaseContent(c.hash))?.files).toHaveLength(4);
      await r.value.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
