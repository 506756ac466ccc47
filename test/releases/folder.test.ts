import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Archive } from "../../src/archive/index.ts";
import { ProblemError } from "../../src/core/index.ts";
import { exportRelease, importRelease } from "../../src/releases/folder.ts";
import { archives, postgresBackend, sqliteBackend } from "../archive/backends.ts";
import { content, proof, publishRelease } from "../support/releases.ts";

/** A release carried as a plain folder arrives as it left, or not at all. */

const work = mkdtempSync(join(tmpdir(), "omnidoc-release-folder-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A release proposed by ada, approved by grace having seen its proof set, and published. */
async function published(a: Archive, variant = "1") {
  const c = content("energy-bill", variant);
  await publishRelease(a, c, proof(variant), `1.${variant}.0`);
  const release = await a.release(c.hash);
  if (!release) throw new Error("the release was not kept");
  return release;
}

/** The ProblemError a promise rejects with. */
async function problemOf(p: Promise<unknown>) {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProblemError);
  return (err as ProblemError).problems[0];
}

describe.each([
  ["sqlite", sqliteBackend],
  ["postgres", postgresBackend],
])("a release folder: %s", (name, makeBackend) => {
  const pool = archives(makeBackend());
  afterAll(() => pool.cleanup());

  it("exports and imports into another archive with its content, proof set, steps and state", async () => {
    const from = await pool.fresh();
    const release = await published(from);
    const dir = join(work, `${name}-round-trip`);
    await exportRelease(from, release, dir);
    const listing = JSON.parse(readFileSync(join(dir, "release.json"), "utf8"));
    expect(listing).toMatchObject({ id: release.id, template: "energy-bill", version: "1.1.0", state: "released" });
    expect(readFileSync(join(dir, "files/templates/energy-bill/statement.hbs"), "utf8")).toContain("Your bill");
    expect(readFileSync(join(dir, "proof/C0000002/pdf.pdf"), "utf8")).toContain("C0000002 pdf proof");

    const to = await pool.fresh();
    const imported = await importRelease(to, dir);
    expect(imported.created).toBe(true);
    expect(imported.release).toEqual(release);
    expect((await to.releaseContent(release.id))?.files).toEqual((await from.releaseContent(release.id))?.files);
    expect((await to.releaseProof(release.id))?.hash).toBe(release.proofHash);
    // Importing it again changes nothing.
    expect((await importRelease(to, dir)).created).toBe(false);
  });

  it("refuses a folder whose file does not match its hash, naming the file", async () => {
    const from = await pool.fresh();
    const release = await published(from, "2");
    const tampered = join(work, `${name}-tampered`);
    await exportRelease(from, release, tampered);
    appendFileSync(join(tampered, "files/catalogue.yaml"), "  - id: extra\n");
    const to = await pool.fresh();
    const p = await problemOf(importRelease(to, tampered));
    expect(p.code).toBe("OMD_RELEASE_FOLDER");
    expect(p.message).toMatch(/^files\/catalogue\.yaml does not match its SHA-256/);
    expect(await to.release(release.id)).toBeUndefined();

    // A file put beside the listed ones, or a proof document changed, is refused as well.
    const added = join(work, `${name}-added`);
    await exportRelease(from, release, added);
    writeFileSync(join(added, "files/templates/energy-bill/extra.hbs"), "{{secret}}");
    expect((await problemOf(importRelease(to, added))).message).toMatch(/extra\.hbs is not listed/);
    const proofChanged = join(work, `${name}-proof`);
    await exportRelease(from, release, proofChanged);
    appendFileSync(join(proofChanged, "proof/C0000001/email.eml"), "x");
    expect((await problemOf(importRelease(to, proofChanged))).message).toMatch(/^proof\/C0000001\/email\.eml/);
  });
});
