import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Archive, openArchive } from "../../src/archive/index.ts";
import { ProblemError, sha256Hex } from "../../src/core/index.ts";
import { listingHash, readReleaseContent } from "../../src/releases/content.ts";
import { servedReleases } from "../../src/releases/production.ts";
import { KEYS, ROOT, call, sampleProfile, startServer } from "../server/support.ts";
import { content as madeUp, proof, publishRelease } from "../support/releases.ts";

/** The API in production mode: only released templates, each document naming its release. */

const work = mkdtempSync(join(tmpdir(), "omnidoc-release-serve-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let archives = 0;
async function freshArchive(): Promise<{ url: string; archive: Archive }> {
  const url = `sqlite:${join(work, `a${++archives}/archive.db`)}`;
  const opened = await openArchive(url);
  if (!opened.ok) throw new Error(opened.problems[0].message);
  return { url, archive: opened.value };
}

async function problemOf(p: Promise<unknown>) {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProblemError);
  return (err as ProblemError).problems[0];
}

describe("serve in production mode", () => {
  it("composes a released template, names its release in the archive, and refuses the others with 409", {
    timeout: 120_000,
  }, async () => {
    const { url, archive } = await freshArchive();
    const bill = await readReleaseContent(ROOT, {}, "energy-bill");
    await publishRelease(archive, bill, proof(), "1");
    const served = await servedReleases(archive, join(work, "cache"));
    expect([...served.released]).toEqual([["energy-bill", bill.hash]]);
    await archive.close();

    const s = await startServer({ archiveUrl: url, ...served });
    try {
      const profile = sampleProfile(3);
      const body = { template: "energy-bill", channel: "sms", runDate: "2026-11-01", profile };
      const ok = await call(s.base, "/v1/documents", { key: KEYS.render, body });
      expect(ok.status).toBe(200);
      const [doc] = await s.archive.list(profile.id);
      expect(doc.release).toBe(bill.hash);

      const other = await call(s.base, "/v1/documents", {
        key: KEYS.render,
        body: { ...body, template: "payment-reminder" },
      });
      expect(other.status).toBe(409);
      expect(await other.json()).toMatchObject({ problems: [{ code: "OMD_RELEASE_REQUIRED", at: "/template" }] });

      // It holds no project files to propose from.
      const proposal = await call(s.base, "/v1/releases", { key: KEYS.admin, body: { template: "energy-bill" } });
      expect(proposal.status).toBe(409);
      expect(await proposal.json()).toMatchObject({ problems: [{ code: "OMD_RELEASE_STATE" }] });
    } finally {
      await s.close();
    }
  });

  it("serves several released templates from one folder, and stops when they disagree on the catalogue", async () => {
    const { archive } = await freshArchive();
    expect((await problemOf(servedReleases(archive, join(work, "none")))).code).toBe("OMD_RELEASE_REQUIRED");
    await publishRelease(archive, madeUp("energy-bill"), proof(), "1");
    await publishRelease(archive, madeUp("payment-reminder"), proof(), "1");
    expect([...(await servedReleases(archive, join(work, "both"))).released.keys()].sort()).toEqual([
      "energy-bill",
      "payment-reminder",
    ]);

    // A third template proofed with another catalogue.
    const { files } = madeUp("welcome");
    const catalogue = new TextEncoder().encode("offers: [changed]\n");
    const changed = files.map((f) =>
      f.path === "catalogue.yaml" ? { ...f, bytes: catalogue, sha256: sha256Hex(catalogue) } : f,
    );
    await publishRelease(archive, { template: "welcome", hash: listingHash(changed), files: changed }, proof(), "1");
    const mixed = await problemOf(servedReleases(archive, join(work, "mixed")));
    expect(mixed.code).toBe("OMD_RELEASE_MIXED");
    expect(mixed.message).toMatch(/different catalogue\.yaml/);
    await archive.close();
  });
});
