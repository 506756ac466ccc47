import { describe, expect, it } from "vitest";
import type { CompiledPdf } from "../../../src/channels/pdf/index.ts";
import { compose } from "../../../src/compose.ts";
import { type RenderCaches, type World, cachePart, createRenderCaches } from "../../../src/core/index.ts";
import { type Engine, buildEngine } from "../../../src/engine.ts";
import { PROJECT_ROOT, memoryWorld } from "../../support/memory-world.ts";
import { sampleProfile } from "../../support/pdf-views.ts";

const world = memoryWorld({ seedFrom: PROJECT_ROOT });

async function engine(caches?: RenderCaches, from: World = world): Promise<Engine> {
  const built = await buildEngine(from, caches ? { caches } : {});
  if (!built.ok) throw new Error(built.problems.map((p) => p.message).join("; "));
  return built.value;
}

const pdfOf = (e: Engine) => e.templates.get("energy-bill")?.channels.pdf as CompiledPdf;

async function statement(e: Engine): Promise<{ pdf: Buffer; eml: Buffer }> {
  const r = await compose(e, sampleProfile("C0000001"), {
    template: "energy-bill",
    channels: ["pdf", "email"],
    runDate: "2026-11-01",
  });
  if (!r.ok || !r.value.pdf || !r.value.email) throw new Error("the statement did not compose");
  return { pdf: Buffer.from(r.value.pdf.bytes), eml: Buffer.from(r.value.email.eml) };
}

describe("render caches", () => {
  it("gives each object its own instance of a part, the same one every time", () => {
    const part = cachePart("test counter", () => ({ n: 0 }));
    const a = createRenderCaches();
    const b = createRenderCaches();
    a.get(part).n++;
    expect(a.get(part)).toBe(a.get(part));
    expect(a.get(part).n).toBe(1);
    expect(b.get(part).n).toBe(0);
  });

  it("keeps engines built with separate caches apart, and lets engines built with the same one share", async () => {
    const shared = createRenderCaches();
    const [first, second, apart] = [await engine(shared), await engine(shared), await engine()];
    expect(first.caches === shared).toBe(true);
    expect(apart.caches === shared).toBe(false);

    // Identities compared as booleans: a failing toBe would print a parsed font.
    // Fonts are parsed once per caches object: twice for the two objects, once for the two engines sharing one.
    expect(pdfOf(second).fonts.body === pdfOf(first).fonts.body).toBe(true);
    expect(pdfOf(apart).fonts.body === pdfOf(first).fonts.body).toBe(false);
    expect(pdfOf(apart).fonts.body.font === pdfOf(first).fonts.body.font).toBe(false);

    // Words are shaped per caches object: the first statement fills the shared one only.
    const shaped = (e: Engine) => pdfOf(e).fonts.body.words.size;
    const one = await statement(first);
    const filled = shaped(first);
    expect(filled).toBeGreaterThan(0);
    expect(shaped(apart)).toBe(0);
    // The engine sharing those caches finds every word already shaped; the other shapes its own.
    const two = await statement(second);
    expect(shaped(second)).toBe(filled);
    const three = await statement(apart);
    expect(shaped(apart)).toBe(filled);

    // Whichever caches a statement came from, its bytes are the same.
    expect(two.pdf.equals(one.pdf)).toBe(true);
    expect(three.pdf.equals(one.pdf)).toBe(true);
    expect(two.eml.equals(one.eml)).toBe(true);
    expect(three.eml.equals(one.eml)).toBe(true);
  });

  it("keys fonts by file: a theme with another body font parses only that one into caches it shares", async () => {
    const caches = createRenderCaches();
    const sans = await engine(caches);
    const theme = world.readText("samples/theme.yaml");
    const serifTheme = theme.replace(
      /^(\s+body: ).*DejaVuSans\.ttf$/m,
      "$1node_modules/dejavu-fonts-ttf/ttf/DejaVuSerif.ttf",
    );
    expect(serifTheme).not.toBe(theme);
    const serif = await engine(
      caches,
      memoryWorld({ seedFrom: PROJECT_ROOT, files: { "samples/theme.yaml": serifTheme } }),
    );
    expect(pdfOf(serif).fonts.body.font.familyName).toBe("DejaVu Serif");
    expect(pdfOf(sans).fonts.body.font.familyName).toBe("DejaVu Sans");
    expect(pdfOf(serif).fonts.bold === pdfOf(sans).fonts.bold).toBe(true);
  });
});
