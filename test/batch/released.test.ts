import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Archive, openArchive } from "../../src/archive/index.ts";
import { runBatch } from "../../src/batch/index.ts";
import { ProblemError } from "../../src/core/index.ts";
import { readReleaseContent } from "../../src/releases/content.ts";
import type { ReleaseContent, ReleaseState } from "../../src/releases/types.ts";
import { generateLines } from "../support/customers.ts";
import { approveRelease, proof, step } from "../support/releases.ts";
import { outputLines } from "../support/run-output.ts";

/** Production mode: a run composes with the released version from the archive, never with the files on disk. */

const ROOT = resolve(import.meta.dirname, "../..");
const work = mkdtempSync(join(tmpdir(), "omnidoc-released-run-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const INPUT = join(work, "customers.ndjson");
const ARCHIVE = `sqlite:${join(work, "archive.db")}`;
/** A project folder with no templates at all: a production run must not need one. */
const EMPTY = join(work, "empty-project");

let archive: Archive;
/** The bundled energy bill, and a version whose SMS starts with a word of its own. */
let first: ReleaseContent;
let second: ReleaseContent;

beforeAll(async () => {
  writeFileSync(INPUT, `${generateLines(12).join("\n")}\n`);
  mkdirSync(EMPTY);
  const copy = join(work, "second/templates");
  cpSync(join(ROOT, "templates"), copy, { recursive: true });
  const sms = join(copy, "energy-bill/sms.hbs");
  writeFileSync(sms, readFileSync(sms, "utf8").replace('{{#part "sender"}}', '{{#part "sender"}}SECOND '));
  first = await readReleaseContent(ROOT, {}, "energy-bill");
  second = await readReleaseContent(ROOT, { templatesDir: copy }, "energy-bill");
  const opened = await openArchive(ARCHIVE);
  if (!opened.ok) throw new Error(opened.problems[0].message);
  archive = opened.value;
}, 60_000);
afterAll(() => archive?.close());

/** Proposed by ada; approved by grace; published (again, for a rollback) by grace. */
const propose = (c: ReleaseContent) => approveRelease(archive, c, proof(c.hash.slice(0, 8)));
async function publish(c: ReleaseContent, from: ReleaseState) {
  const r = await archive.publishRelease(
    c.hash,
    [from],
    step("publish", from, "released", "grace", "2026-11-03T08:00:00Z"),
  );
  expect(r.published).toBe(true);
}

let runs = 0;
async function productionRun() {
  const out = join(work, `run-${++runs}`);
  const outcome = await runBatch({
    out,
    workers: 1,
    resume: false,
    settings: { template: "energy-bill", input: INPUT, runDate: "2026-11-01", channels: ["sms"], archive: true },
    root: EMPTY,
    archiveUrl: ARCHIVE,
    requireReleased: true,
  });
  return { out, outcome };
}

describe("a production run", () => {
  it("refuses a template without a released version, even one approved", { timeout: 60_000 }, async () => {
    await propose(first);
    const err = await productionRun().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ProblemError);
    expect((err as ProblemError).problems[0]).toMatchObject({ code: "OMD_RELEASE_REQUIRED", at: "energy-bill" });
  });

  it("composes with the released version, and names it on every manifest line and archived document", {
    timeout: 120_000,
  }, async () => {
    await publish(first, "approved");
    const { out, outcome } = await productionRun();
    expect(outcome.complete).toBe(true);
    expect(outcome.settings.release).toBe(first.hash);
    const manifest = outputLines(out, "manifest.ndjson");
    expect(manifest.length).toBe(12);
    for (const line of manifest) expect(line.release).toBe(first.hash);
    const composed = manifest.filter((l) => l.status === "composed");
    expect(composed.length).toBeGreaterThan(5);
    for (const l of composed) {
      const docs = await archive.list(l.id);
      expect(docs.length).toBeGreaterThan(0);
      for (const d of docs) expect(d.release).toBe(first.hash);
    }
    expect(outputLines(out, "sms.ndjson").some((s) => JSON.stringify(s).includes("SECOND"))).toBe(false);
  });

  it("rolls back by publishing the previous release again", { timeout: 180_000 }, async () => {
    await propose(second);
    await publish(second, "approved");
    const next = await productionRun();
    expect(next.outcome.settings.release).toBe(second.hash);
    const texts = outputLines(next.out, "sms.ndjson").map((s) => JSON.stringify(s));
    expect(texts.length).toBeGreaterThan(0);
    for (const t of texts) expect(t).toContain("SECOND");
    expect((await archive.release(first.hash))?.state).toBe("retired");

    await publish(first, "retired");
    const back = await productionRun();
    expect(back.outcome.settings.release).toBe(first.hash);
    for (const l of outputLines(back.out, "manifest.ndjson")) expect(l.release).toBe(first.hash);
    expect(outputLines(back.out, "sms.ndjson").some((s) => JSON.stringify(s).includes("SECOND"))).toBe(false);
  });
});
