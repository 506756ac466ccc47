import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunOptions, runBatch } from "../../src/batch/index.ts";
import type { Profile } from "../../src/profile/index.ts";
import { generateLines } from "../support/customers.ts";
import { outputLines } from "../support/run-output.ts";

/**
 * A billing run of the payment reminder over a generated extract, every channel: the customers it is not for
 * (in credit, on Direct Debit, not in arrears) are skipped with the reason, neither composed nor rejected, and
 * the totals reconcile with them.
 */
const ROOT = resolve(import.meta.dirname, "../..");
const work = mkdtempSync(join(tmpdir(), "omnidoc-audience-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const INPUT = join(work, "extract.ndjson");
const COUNT = 80;

const run = (out: string, over: Partial<RunOptions> = {}) =>
  runBatch({
    out,
    workers: 1,
    resume: false,
    root: ROOT,
    settings: {
      template: "payment-reminder",
      input: INPUT,
      format: "ndjson",
      runDate: "2026-11-01",
      channels: "all",
      printBatchSize: 100,
      archive: false,
    },
    ...over,
  });

/** Who a payment reminder is for, stated from the account: money owed, in arrears, not collected by Direct Debit. */
const owesReminder = (p: Profile) => p.account.balanceDue > 0 && p.account.inArrears && !p.account.directDebit;

let profiles: Profile[];
const whole = join(work, "whole");

beforeAll(async () => {
  const extract = generateLines(COUNT, "--seed", "15");
  writeFileSync(INPUT, `${extract.join("\n")}\n`);
  profiles = extract.map((l) => JSON.parse(l));
  expect((await run(whole)).complete).toBe(true);
}, 300_000);

describe("a billing run skips the customers outside the template's audience", () => {
  it("composes exactly the customers the reminder is for and skips the others with the rule they miss", () => {
    const manifest = outputLines(whole, "manifest.ndjson");
    expect(manifest).toHaveLength(COUNT);
    const composed = manifest.filter((e) => e.status === "composed").map((e) => e.id);
    expect(composed).toEqual(profiles.filter(owesReminder).map((p) => p.id));
    expect(composed.length).toBeGreaterThan(0);
    for (const e of manifest.filter((m) => m.status === "skipped")) {
      const p = profiles.find((q) => q.id === e.id)!;
      expect(owesReminder(p), e.id).toBe(false);
      expect(e.reason).toBeTruthy();
      expect(e.files).toEqual([]);
      expect(e.problems).toEqual([]);
      if (p.account.balanceDue <= 0) expect(e.rule).toBe("account.balanceDue > 0");
      else if (p.account.directDebit) expect(e.rule).toBe("not account.directDebit");
      else expect(e.rule).toBe("account.inArrears");
    }
    // A skip is not a reject: no line of rejects.ndjson names a skipped customer.
    const skipped = new Set(manifest.filter((e) => e.status === "skipped").map((e) => e.id));
    expect(outputLines(whole, "rejects.ndjson").filter((r) => skipped.has(r.id))).toEqual([]);
  });

  it("reconciles read = composed + skipped + rejected, and counts documents and print for the composed alone", () => {
    const s = JSON.parse(readFileSync(join(whole, "summary.json"), "utf8"));
    const manifest = outputLines(whole, "manifest.ndjson");
    const count = (status: string) => manifest.filter((e) => e.status === status).length;
    expect(s.records).toEqual({
      read: COUNT,
      composed: count("composed"),
      skipped: count("skipped"),
      rejected: count("rejected"),
    });
    expect(s.reconciles).toBe(true);
    expect(s.records.skipped).toBeGreaterThan(0);
    expect(Object.values(s.skippedByReason).reduce((a: number, b) => a + (b as number), 0)).toBe(s.records.skipped);
    expect(s.documents.pdf).toBe(readdirSync(join(whole, "pdf")).length);
    expect(s.documents.pdf).toBe(count("composed"));
    expect(s.print.statements).toBe(manifest.filter((e) => e.print).length);
    expect(manifest.filter((e) => e.print && e.status !== "composed")).toEqual([]);
  });

  it("renders the reminder in every channel: no OMD_CHANNEL_UNKNOWN with --channels all", () => {
    const s = JSON.parse(readFileSync(join(whole, "summary.json"), "utf8"));
    expect(s.channelProblemsByCode.OMD_CHANNEL_UNKNOWN).toBeUndefined();
    const composed = outputLines(whole, "manifest.ndjson").filter((e) => e.status === "composed");
    const withEmail = composed.filter((e) => profiles.find((p) => p.id === e.id)!.contact.email).length;
    const withMobile = composed.filter((e) => profiles.find((p) => p.id === e.id)!.contact.mobile).length;
    expect(s.documents.email).toBe(withEmail);
    expect(s.documents.sms).toBe(withMobile);
    expect(outputLines(whole, "sms.ndjson")).toHaveLength(withMobile);
  });

  it("a resumed run replays its skipped records into the same totals as an uninterrupted one", async () => {
    const out = join(work, "stopped");
    const stop = new AbortController();
    const first = await run(out, {
      signal: stop.signal,
      checkpointEvery: 5,
      onProgress: (p) => p.records >= 30 && stop.abort(),
    });
    expect(first.complete).toBe(false);
    expect(first.progress.skipped).toBeGreaterThan(0);
    const second = await run(out, { resume: true, settings: {} });
    expect(second.complete).toBe(true);
    expect(readFileSync(join(out, "manifest.ndjson"), "utf8")).toBe(
      readFileSync(join(whole, "manifest.ndjson"), "utf8"),
    );
    const totals = (dir: string) => ({ ...JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")), timings: 0 });
    expect(totals(out)).toEqual(totals(whole));
  }, 300_000);
});
