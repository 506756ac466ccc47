import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildEngine, type Engine } from "../../src/engine.ts";
import { nodeWorld } from "../../src/node-world.ts";
import { listingHash } from "../../src/releases/content.ts";
import { renderProofSet } from "../../src/releases/proof-set.ts";
import { type SampleSet, loadSampleSet } from "../../src/studio/samples.ts";

/** What a reviewer approves: every channel of every sample customer, the same bytes each time. */

const ROOT = resolve(import.meta.dirname, "../..");
let engine: Engine;
let samples: SampleSet;
beforeAll(async () => {
  const built = await buildEngine(nodeWorld(ROOT), {});
  if (!built.ok) throw new Error("the engine did not build");
  engine = built.value;
  samples = loadSampleSet(nodeWorld(ROOT));
}, 60_000);

describe("a proof set", () => {
  it("has every channel of every sample customer, or says why not, and is the same twice", {
    timeout: 180_000,
  }, async () => {
    const first = await renderProofSet(engine, "energy-bill", "2026-11-01", samples);
    expect(samples.curated.length).toBeGreaterThan(10);
    for (const s of samples.curated)
      for (const channel of ["pdf", "email", "sms"]) {
        const doc = first.documents.find((d) => d.customerId === s.id && d.channel === channel);
        const why = first.problems.find((p) => p.message.startsWith(`${s.label} (${s.id})`));
        expect(doc ?? why, `${s.label} ${channel}`).toBeDefined();
      }
    // The sample without a mobile gets no SMS, and the set says so.
    const noMobile = samples.curated.find((s) => s.label === "No mobile (no SMS)");
    expect(first.documents.some((d) => d.customerId === noMobile?.id && d.channel === "sms")).toBe(false);
    expect(first.problems.some((p) => p.message.startsWith(`No mobile (no SMS) (${noMobile?.id})`))).toBe(true);

    const pdf = first.documents.find((d) => d.channel === "pdf");
    expect(pdf).toMatchObject({ contentType: "application/pdf", path: `${pdf?.customerId}/pdf.pdf` });
    expect(pdf?.pages).toBeGreaterThan(0);
    expect(first.documents.find((d) => d.channel === "email")?.path).toMatch(/\/email\.eml$/);
    expect(first.hash).toBe(listingHash(first.documents));

    const second = await renderProofSet(engine, "energy-bill", "2026-11-01", samples);
    expect(second.hash).toBe(first.hash);
    expect(second.documents.map((d) => Buffer.from(d.bytes).toString("base64"))).toEqual(
      first.documents.map((d) => Buffer.from(d.bytes).toString("base64")),
    );
  });

  it("names a customer outside the template's audience among its problems", { timeout: 120_000 }, async () => {
    const set = await renderProofSet(engine, "payment-reminder", "2026-11-01", samples);
    const arrears = samples.curated.find((s) => s.label === "In arrears");
    expect(set.documents.some((d) => d.customerId === arrears?.id && d.channel === "pdf")).toBe(true);
    expect(set.problems.some((p) => p.code === "OMD_AUDIENCE_OUTSIDE")).toBe(true);
  });
});
