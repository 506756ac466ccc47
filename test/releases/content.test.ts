import { appendFileSync, cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compose } from "../../src/compose.ts";
import { buildEngine } from "../../src/engine.ts";
import { RELEASE_FOLDER_ENGINE } from "../../src/engine-files.ts";
import { nodeWorld } from "../../src/node-world.ts";
import { contentFault, materialise, readReleaseContent } from "../../src/releases/content.ts";
import type { ReleaseContent } from "../../src/releases/types.ts";
import { loadSampleSet } from "../../src/studio/samples.ts";
import type { ChannelName } from "../../src/templates/index.ts";

/** A release's content is what its documents are made of, wherever the files lie; one byte more is another release. */

const ROOT = resolve(import.meta.dirname, "../..");
const FONTS = "node_modules/dejavu-fonts-ttf/ttf";
const work = mkdtempSync(join(tmpdir(), "omnidoc-release-content-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A project of its own: the templates, catalogue, theme and the theme's fonts, with `edit` applied. */
function project(name: string, edit: (dir: string) => void = () => {}): string {
  const dir = join(work, name);
  cpSync(join(ROOT, "templates"), join(dir, "templates"), { recursive: true });
  for (const f of ["samples/catalogue.yaml", "samples/theme.yaml"]) cpSync(join(ROOT, f), join(dir, f));
  for (const face of ["", "-Bold", "-Oblique", "-BoldOblique"])
    cpSync(join(ROOT, FONTS, `DejaVuSans${face}.ttf`), join(dir, FONTS, `DejaVuSans${face}.ttf`));
  edit(dir);
  return dir;
}

const contentOf = (dir: string) => readReleaseContent(dir, {}, "energy-bill");

describe("a release's content", () => {
  let here: ReleaseContent;
  beforeAll(async () => {
    here = await contentOf(project("here"));
  }, 60_000);

  it("names every file by its place in a release folder, and not another template's", () => {
    const paths = here.files.map((f) => f.path);
    expect(paths).toContain("templates/energy-bill/template.yaml");
    expect(paths).toContain("catalogue.yaml");
    expect(paths).toContain("theme.yaml");
    expect(paths).toContain(`${FONTS}/DejaVuSans-Bold.ttf`);
    expect(paths.filter((p) => p.startsWith("templates/") && !p.startsWith("templates/energy-bill/"))).toEqual([]);
    expect(here.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(contentFault(here)).toBeUndefined();
  });

  it("has the same hash for the same files elsewhere, and another for one byte of each role", {
    timeout: 120_000,
  }, async () => {
    expect((await contentOf(project("same"))).hash).toBe(here.hash);
    const edits: Record<string, (dir: string) => void> = {
      template: (d) => appendFileSync(join(d, "templates/energy-bill/locales/en.yaml"), "\n"),
      catalogue: (d) => appendFileSync(join(d, "samples/catalogue.yaml"), "\n"),
      theme: (d) => appendFileSync(join(d, "samples/theme.yaml"), "\n"),
      font: (d) => appendFileSync(join(d, FONTS, "DejaVuSans-Oblique.ttf"), new Uint8Array([0])),
    };
    for (const [role, edit] of Object.entries(edits)) {
      const other = await contentOf(project(role, edit));
      expect(other.hash, role).not.toBe(here.hash);
      // Only the file touched differs.
      const changed = other.files.filter((f) => here.files.find((h) => h.path === f.path)?.sha256 !== f.sha256);
      expect(changed, role).toHaveLength(1);
    }
    // Another template's files are not this one's content.
    const reminder = await contentOf(
      project("reminder", (d) => appendFileSync(join(d, "templates/payment-reminder/sms.hbs"), "\n")),
    );
    expect(reminder.hash).toBe(here.hash);
  });

  it("tells which file does not match its hash", () => {
    const tampered = structuredClone(here);
    const i = tampered.files.findIndex((f) => f.path === "catalogue.yaml");
    tampered.files[i].bytes = new Uint8Array([...tampered.files[i].bytes, 10]);
    expect(contentFault(tampered)?.path).toBe("catalogue.yaml");
    const renamed = structuredClone(here);
    renamed.files[i].path = "../catalogue.yaml";
    expect(contentFault(renamed)?.path).toBe("../catalogue.yaml");
  });

  it("materialises into a folder an engine builds from, making the same documents byte for byte", {
    timeout: 120_000,
  }, async () => {
    const folder = join(work, "materialised");
    materialise(here, folder);
    const from = await buildEngine(nodeWorld(folder), RELEASE_FOLDER_ENGINE);
    const original = await buildEngine(nodeWorld(join(work, "here")), {});
    if (!from.ok || !original.ok) throw new Error("an engine did not build");
    expect([...from.value.templates.keys()]).toEqual(["energy-bill"]);
    const samples = loadSampleSet(nodeWorld(ROOT)).curated.slice(0, 4);
    const options = {
      template: "energy-bill",
      runDate: "2026-11-01",
      channels: ["pdf", "email", "sms"] as ChannelName[],
    };
    for (const s of samples) {
      const a = await compose(from.value, s.profile, options);
      const b = await compose(original.value, s.profile, options);
      if (!a.ok || !b.ok) throw new Error(`${s.id} did not compose`);
      expect(Buffer.from(a.value.pdf?.bytes ?? []).equals(Buffer.from(b.value.pdf?.bytes ?? [])), s.id).toBe(true);
      expect(Buffer.from(a.value.email?.eml ?? []).equals(Buffer.from(b.value.email?.eml ?? [])), s.id).toBe(true);
      expect(a.value.sms?.text, s.id).toBe(b.value.sms?.text);
      expect(a.value.pdf?.bytes.length ?? 0).toBeGreaterThan(1000);
    }
    // And the folder read again is the same release.
    expect((await readReleaseContent(folder, RELEASE_FOLDER_ENGINE, "energy-bill")).hash).toBe(here.hash);
  });

  it("refuses to write a file outside the folder", () => {
    const escaping = structuredClone(here);
    escaping.files[0].path = "../escaped.txt";
    expect(() => materialise(escaping, join(work, "escape"))).toThrow(/outside its folder/);
    expect(existsSync(join(work, "escaped.txt"))).toBe(false);
  });
});
