import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Release } from "../../src/releases/types.ts";
import { content, proof, step } from "../support/releases.ts";
import { KEYS, ROOT, type Running, call, startServer } from "./support.ts";

const POSTGRES = "postgres://postgres@127.0.0.1:5432/test";

/** The API over each archive backend: SQLite, and PostgreSQL in a schema of its own. */
const BACKENDS: [string, (blobs: string) => string | undefined][] = [
  ["sqlite", () => undefined],
  ["postgres", (blobs) => `${POSTGRES}?schema=omnidoc_releases_${process.pid}&blobs=${blobs}`],
];

const post = (s: Running, path: string, key: { key: string }, body: unknown = {}) =>
  call(s.base, path, { key, body, method: "POST" });
const codes = async (r: Response) => ((await r.json()) as { problems: { code: string }[] }).problems.map((p) => p.code);

describe.each(BACKENDS)("/v1/releases: %s", (backend, archiveUrl) => {
  const work = mkdtempSync(join(tmpdir(), "omnidoc-releases-api-"));
  let s: Running;
  /** The server's clock: every step's time. */
  const clock = new Date("2026-11-02T09:00:00.000Z");
  /** The release proposed over HTTP from the project's energy-bill, and one seeded beside it. */
  let proposed: Release;
  const seeded = content("energy-bill", "seeded");
  const seededProof = proof("seeded");

  beforeAll(async () => {
    // A few sample customers: the proof set is every channel of each, rendered at proposal.
    const customers = readFileSync(join(ROOT, "samples/customers-200.ndjson"), "utf8").split("\n").slice(0, 12);
    writeFileSync(join(work, "customers.ndjson"), customers.join("\n"));
    s = await startServer({
      archiveUrl: archiveUrl(join(work, "blobs")),
      now: () => clock,
      samples: { samples: join(work, "customers.ndjson") },
    });
    // Proposed by a person who may also approve: four eyes must still stop them.
    await s.archive.saveRelease(
      { id: seeded.hash, template: "energy-bill", templateVersion: "1.seeded.0" },
      seeded,
      step("propose", null, "review", "linus", "2026-11-01T09:00:00Z"),
      seededProof,
    );
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    rmSync(work, { recursive: true, force: true });
    if (backend !== "postgres") return;
    const client = new pg.Client(POSTGRES);
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS omnidoc_releases_${process.pid} CASCADE`);
    await client.end();
  });

  it("proposes what the project's files make of a template, with its proof set frozen", {
    timeout: 240_000,
  }, async () => {
    expect(await codes(await post(s, "/v1/releases", KEYS.reviewer, { template: "energy-bill" }))).toEqual([
      "OMD_API_SCOPE_MISSING",
    ]);
    expect(await codes(await post(s, "/v1/releases", KEYS.author, { template: "no-such-bill" }))).toEqual([
      "OMD_TEMPLATE_NOT_FOUND",
    ]);
    const r = await post(s, "/v1/releases", KEYS.author, { template: "energy-bill", comment: "new tariff wording" });
    expect(r.status).toBe(201);
    proposed = (await r.json()) as Release;
    expect(proposed).toMatchObject({ template: "energy-bill", state: "review" });
    expect(proposed.id).toMatch(/^[0-9a-f]{64}$/);
    expect(proposed.steps).toEqual([
      {
        action: "propose",
        from: null,
        to: "review",
        by: "ada",
        at: "2026-11-02T09:00:00.000Z",
        comment: "new tariff wording",
      },
    ]);
    const kept = await s.archive.releaseContent(proposed.id);
    expect(kept?.files.map((f) => f.path)).toContain("templates/energy-bill/template.yaml");

    const listing = await (
      await call(s.base, `/v1/releases/${proposed.id.slice(0, 8)}/proof`, { key: KEYS.reviewer })
    ).json();
    expect(listing.hash).toBe(proposed.proofHash);
    expect(listing.runDate).toBe("2026-11-02");
    expect(listing.documents.length).toBeGreaterThan(3);
    const pdf = listing.documents.find((d: { channel: string }) => d.channel === "pdf");
    expect(pdf.url).toBe(`/v1/releases/${proposed.id}/proof/${pdf.path}`);
    const bytes = await call(s.base, pdf.url, { key: KEYS.preview });
    expect(bytes.status).toBe(200);
    expect(bytes.headers.get("content-type")).toBe("application/pdf");
    const body = Buffer.from(await bytes.arrayBuffer());
    expect(body.subarray(0, 5).toString()).toBe("%PDF-");
    expect(body.byteLength).toBe(pdf.size);
    const missing = await call(s.base, `/v1/releases/${proposed.id}/proof/C9999999/pdf.pdf`, { key: KEYS.reviewer });
    expect(missing.status).toBe(404);
  });

  it("answers each action only to a key with its scope", async () => {
    for (const action of ["approve", "reject", "publish", "retire"]) {
      const r = await post(s, `/v1/releases/${seeded.hash}/${action}`, KEYS.author, {
        seen: seededProof.hash,
        comment: "x",
      });
      expect([action, r.status, await codes(r)]).toEqual([action, 403, ["OMD_API_SCOPE_MISSING"]]);
    }
    for (const path of ["/v1/releases", `/v1/releases/${seeded.hash}`, `/v1/releases/${seeded.hash}/proof`]) {
      expect((await call(s.base, path, { key: KEYS.render })).status).toBe(403);
      expect((await call(s.base, path)).status).toBe(401);
      for (const key of [KEYS.author, KEYS.reviewer, KEYS.preview])
        expect((await call(s.base, path, { key })).status).toBe(200);
    }
    expect((await s.archive.release(seeded.hash))?.steps).toHaveLength(1);
  });

  it("refuses the proposer's own approval with 403, saying who proposed", async () => {
    const r = await post(s, `/v1/releases/${seeded.hash.slice(0, 8)}/approve`, KEYS.lead, { seen: seededProof.hash });
    expect(r.status).toBe(403);
    const body = await r.json();
    expect(body.problems[0]).toMatchObject({
      code: "OMD_RELEASE_FOUR_EYES",
      message: `linus proposed release ${seeded.hash.slice(0, 8)}, so linus may not approve it`,
    });
  });

  it("refuses an approval naming a proof set other than the frozen one", async () => {
    const r = await post(s, `/v1/releases/${seeded.hash}/approve`, KEYS.reviewer, { seen: proof("other").hash });
    expect(r.status).toBe(409);
    expect(await codes(r)).toEqual(["OMD_RELEASE_SEEN"]);
    const malformed = await post(s, `/v1/releases/${seeded.hash}/approve`, KEYS.reviewer, { seen: "abc" });
    expect(await codes(malformed)).toEqual(["OMD_API_BODY_INVALID"]);
  });

  it("rejects only with the reviewer's comments, which the release keeps", async () => {
    const rejected = content("energy-bill", "rejected");
    await s.archive.saveRelease(
      { id: rejected.hash, template: "energy-bill", templateVersion: "1.rejected.0" },
      rejected,
      step("propose", null, "review", "ada", "2026-11-01T09:00:00Z"),
      proof("rejected"),
    );
    for (const body of [{}, { comment: "  " }]) {
      const r = await post(s, `/v1/releases/${rejected.hash}/reject`, KEYS.reviewer, body);
      expect([r.status, await codes(r)]).toEqual([400, ["OMD_RELEASE_COMMENT"]]);
    }
    const r = await post(s, `/v1/releases/${rejected.hash}/reject`, KEYS.reviewer, { comment: "logo blurred" });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({
      state: "rejected",
      steps: [{ action: "propose" }, { action: "reject", by: "grace", comment: "logo blurred" }],
    });
    const again = await post(s, `/v1/releases/${rejected.hash}/approve`, KEYS.reviewer, {
      seen: proof("rejected").hash,
    });
    expect([again.status, await codes(again)]).toEqual([409, ["OMD_RELEASE_STATE"]]);
  });

  it("publishes, retiring the release before; publishing that one again is the rollback", async () => {
    const approve = (id: string, seen: string) => post(s, `/v1/releases/${id}/approve`, KEYS.reviewer, { seen });
    expect((await approve(proposed.id, proposed.proofHash as string)).status).toBe(200);
    expect((await approve(seeded.hash, seededProof.hash)).status).toBe(200);
    const first = await post(s, `/v1/releases/${proposed.id}/publish`, KEYS.reviewer);
    expect(first.status).toBe(200);
    const published = await first.json();
    expect(published.release.state).toBe("released");
    expect(published.retired).toBeUndefined();

    const second = await (await post(s, `/v1/releases/${seeded.hash}/publish`, KEYS.reviewer)).json();
    expect(second.release.state).toBe("released");
    expect(second.retired).toMatchObject({ id: proposed.id, state: "retired" });
    expect(second.retired.steps.at(-1)).toMatchObject({
      action: "retire",
      by: "grace",
      comment: `replaced by ${seeded.hash}`,
    });

    const back = await post(s, `/v1/releases/${proposed.id}/publish`, KEYS.lead, {
      comment: "the wording confused people",
    });
    const rollback = await back.json();
    expect(rollback.release).toMatchObject({ id: proposed.id, state: "released" });
    expect(rollback.release.steps.at(-1)).toMatchObject({ action: "publish", from: "retired", by: "linus" });
    expect(rollback.retired).toMatchObject({ id: seeded.hash, state: "retired" });

    const twice = await post(s, `/v1/releases/${proposed.id}/publish`, KEYS.reviewer);
    expect([twice.status, await codes(twice)]).toEqual([409, ["OMD_RELEASE_STATE"]]);
    const retired = await post(s, `/v1/releases/${proposed.id}/retire`, KEYS.reviewer);
    expect((await retired.json()).state).toBe("retired");
  });

  it("lists by template and state, newest move first, and finds by prefix", async () => {
    const list = async (query: string) =>
      ((await (await call(s.base, `/v1/releases${query}`, { key: KEYS.reviewer })).json()).releases as Release[]).map(
        (r) => r.id,
      );
    expect(await list("?template=energy-bill&state=retired")).toEqual([proposed.id, seeded.hash]);
    expect(await list("?state=draft")).toEqual([]);
    expect(await list("?template=payment-reminder")).toEqual([]);
    expect((await call(s.base, "/v1/releases?state=lost", { key: KEYS.reviewer })).status).toBe(400);
    const one = await call(s.base, `/v1/releases/${proposed.id.slice(0, 10).toUpperCase()}`, { key: KEYS.reviewer });
    expect((await one.json()).id).toBe(proposed.id);
    const draft = content("energy-bill", "draft");
    await s.archive.saveRelease(
      { id: draft.hash, template: "energy-bill", templateVersion: "1.draft.0" },
      draft,
      step("save", null, "draft", "ada", "2026-11-01T09:00:00Z"),
    );
    const unproofed = await call(s.base, `/v1/releases/${draft.hash}/proof`, { key: KEYS.reviewer });
    expect([unproofed.status, await codes(unproofed)]).toEqual([409, ["OMD_RELEASE_STATE"]]);
    const none = await call(s.base, `/v1/releases/${"0".repeat(8)}`, { key: KEYS.reviewer });
    expect([none.status, await codes(none)]).toEqual([404, ["OMD_RELEASE_UNKNOWN"]]);
    expect((await call(s.base, "/v1/releases/1234", { key: KEYS.reviewer })).status).toBe(400);
  });

  it("describes its routes and the two scopes in the OpenAPI document", async () => {
    const spec = await (await call(s.base, "/docs/json")).json();
    for (const path of ["/v1/releases", "/v1/releases/{id}", "/v1/releases/{id}/proof", "/v1/releases/{id}/approve"])
      expect(Object.keys(spec.paths)).toContain(path);
    expect(spec.paths["/v1/releases"].post.parameters).toContainEqual(
      expect.objectContaining({ in: "header", name: "idempotency-key" }),
    );
    const scopes = spec.components.securitySchemes.apiKey.description;
    expect(scopes).toContain("templates:write");
    expect(scopes).toContain("templates:approve");
  });
});
