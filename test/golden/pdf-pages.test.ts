import { existsSync, readFileSync, writeFileSync } from "node:fs";
import pixelmatch from "pixelmatch";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import type { Profile } from "../../src/profile/index.ts";
import { pageToPng, renderPdf } from "../support/pdf-render.ts";
import { pdfView, sampleProfile, sampleProfiles, withCharges } from "../support/pdf-views.ts";

/**
 * Visual regression: pages rendered to PNG at 60 dpi and compared with committed goldens, allowing a few
 * anti-aliasing differences. Regenerate deliberately with `UPDATE_GOLDENS=1 npx vitest run test/golden`
 * after looking at the new pages.
 */
const UPDATE = process.env.UPDATE_GOLDENS === "1";
const DPI = 60;
/** Share of pixels that may differ beyond pixelmatch's colour threshold. */
const TOLERANCE = 0.002;

const firstWith = (pred: (p: Profile) => boolean) => structuredClone(sampleProfiles().find(pred)!);

const greek = (): Profile => {
  const p = sampleProfile("C0000001");
  p.name = { title: "", first: "Αικατερίνη", last: "Смирнова-Nguyễn" };
  return p;
};

const deCredit = (): Profile => {
  const p = firstWith((q) => q.preferences.language === "de");
  p.account.balanceDue = -42.5;
  return p;
};

const CASES: { name: string; profile: () => Profile; template?: string; pages: number[] }[] = [
  { name: "statement-en", profile: () => sampleProfile("C0000001"), pages: [1, 2] },
  { name: "statement-60-lines", profile: () => withCharges(sampleProfile("C0000001"), 60), pages: [2] },
  { name: "statement-non-latin", profile: greek, pages: [1] },
  {
    name: "statement-fr-pay",
    profile: () =>
      firstWith((p) => p.preferences.language === "fr" && !p.account.directDebit && p.account.balanceDue > 0),
    pages: [1],
  },
  { name: "statement-de-credit", profile: deCredit, pages: [1] },
  {
    name: "reminder-de",
    profile: () => firstWith((p) => p.preferences.language === "de"),
    template: "payment-reminder",
    pages: [1],
  },
];

describe("PDF pages against their goldens", () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const template = c.template ?? "energy-bill";
      const r = await renderPdf(pdfView(c.profile(), {}, template), `templates/${template}`);
      for (const page of c.pages) {
        const png = readFileSync(pageToPng(r.file, page, DPI));
        const golden = new URL(`./pdf/${c.name}-p${page}.png`, import.meta.url);
        if (UPDATE || !existsSync(golden)) {
          if (!UPDATE) throw new Error(`no golden ${golden.pathname}: run with UPDATE_GOLDENS=1 and look at it`);
          writeFileSync(golden, png);
          continue;
        }
        const want = PNG.sync.read(readFileSync(golden));
        const got = PNG.sync.read(png);
        expect([got.width, got.height]).toEqual([want.width, want.height]);
        const diff = pixelmatch(want.data, got.data, undefined, want.width, want.height, { threshold: 0.1 });
        expect(diff / (want.width * want.height)).toBeLessThan(TOLERANCE);
      }
    });
  }
});
