import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pinnedEngine } from "../../src/batch/pin.ts";

/** A template's pin names what its documents are made of, not where those files lie. */

const ROOT = resolve(import.meta.dirname, "../..");
const work = mkdtempSync(join(tmpdir(), "omnidoc-pin-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Copies of the templates, catalogue and theme in a folder of their own, with `edit` applied to the copy. */
function copies(name: string, edit: (dir: string) => void = () => {}) {
  const dir = join(work, name);
  cpSync(join(ROOT, "templates"), join(dir, "templates"), { recursive: true });
  cpSync(join(ROOT, "samples"), join(dir, "samples"), { recursive: true });
  edit(dir);
  return {
    templatesDir: join(dir, "templates"),
    catalogue: join(dir, "samples/catalogue.yaml"),
    theme: join(dir, "samples/theme.yaml"),
  };
}

const pins = async (options: Parameters<typeof pinnedEngine>[1]) => {
  const { pinOf } = await pinnedEngine(ROOT, options);
  return { bill: pinOf("energy-bill"), reminder: pinOf("payment-reminder") };
};

/** Changes one word of a file of the copy. */
const reword = (file: string, from: string, to: string) => (dir: string) => {
  const path = join(dir, file);
  const text = readFileSync(path, "utf8");
  if (!text.includes(from)) throw new Error(`${file} has no "${from}"`);
  writeFileSync(path, text.replace(from, to));
};

describe("a template's pin", () => {
  it("is the same for identical files in another folder, and changes with one word", { timeout: 120_000 }, async () => {
    const here = await pins({});
    expect(here.bill).toMatch(/^[0-9a-f]{64}$/);
    expect(await pins(copies("same"))).toEqual(here);

    const label = await pins(copies("label", reword("templates/energy-bill/locales/en.yaml", "Total", "Sum")));
    expect(label.bill).not.toBe(here.bill);
    // Another template's files are not part of this one's documents.
    expect(label.reminder).toBe(here.reminder);

    const offer = await pins(copies("offer", reword("samples/catalogue.yaml", "priority: 100", "priority: 101")));
    expect(offer.bill).not.toBe(here.bill);
    expect(offer.reminder).not.toBe(here.reminder);
  });

  it("changes with the signing keys, which sign the documents' links", { timeout: 60_000 }, async () => {
    const before = await pins({});
    const key = process.env.OMNIDOC_LINK_KEY;
    process.env.OMNIDOC_LINK_KEY = "other:another-link-key-of-the-test-suite-0123";
    try {
      expect((await pins({})).bill).not.toBe(before.bill);
    } finally {
      process.env.OMNIDOC_LINK_KEY = key;
    }
  });
});
