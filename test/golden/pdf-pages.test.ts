import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import pixelmatch from "pixelmatch";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import type { Profile } from "../../src/profile/index.ts";
import { pageToPng, pdfText, renderPdf } from "../support/pdf-render.ts";
import { pdfView, sampleProfile, sampleProfiles, withCharges } from "../support/pdf-views.ts";

/**
 * Visual regression: each page's text (pdftotext -layout) must equal its committed golden exactly, so a
 * changed amount cannot hide under the pixel tolerance; its pixels, rendered at 60 dpi, may differ from the PNG
 * golden by a few anti-aliasing pixels. Regenerate both deliberately with `npm run goldens` after looking at
 * the new pages.
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

/** A customer the reminder is for (its audience): money owed, in arrears, not on Direct Debit. */
const deArrears = (): Profile => {
  const p = firstWith((q) => q.preferences.language === "de" && q.account.balanceDue > 0);
  p.account.inArrears = true;
  p.account.directDebit = false;
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
    profile: deArrears,
    template: "payment-reminder",
    pages: [1],
  },
];

/** The page's pixels against the PNG golden; on failure a diff image beside it, named in the message. */
function expectPixels(png: Buffer, golden: URL): void {
  const want = PNG.sync.read(readFileSync(golden));
  const got = PNG.sync.read(png);
  expect([got.width, got.height], `page size against ${golden.pathname}`).toEqual([want.width, want.height]);
  const diff = new PNG({ width: want.width, height: want.height });
  const differing = pixelmatch(want.data, got.data, diff.data, want.width, want.height, { threshold: 0.1 });
  const diffFile = new URL(golden.href.replace(/\.png$/, ".diff.png"));
  const share = differing / (want.width * want.height);
  if (share < TOLERANCE) {
    rmSync(diffFile, { force: true });
    return;
  }
  writeFileSync(diffFile, PNG.sync.write(diff));
  expect.fail(
    `${(share * 100).toFixed(2)}% of the pixels differ from ${golden.pathname} (at most ${TOLERANCE * 100}%): see ${diffFile.pathname}`,
  );
}

describe("PDF pages against their goldens", () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const template = c.template ?? "energy-bill";
      const r = await renderPdf(pdfView(c.profile(), {}, template), `templates/${template}`);
      for (const page of c.pages) {
        const png = readFileSync(pageToPng(r.file, page, DPI));
        const text = pdfText(r.file, page, true);
        const golden = new URL(`./pdf/${c.name}-p${page}.png`, import.meta.url);
        const textGolden = new URL(`./pdf/${c.name}-p${page}.txt`, import.meta.url);
        if (UPDATE) {
          writeFileSync(golden, png);
          writeFileSync(textGolden, text);
          continue;
        }
        for (const g of [golden, textGolden])
          if (!existsSync(g)) throw new Error(`no golden ${g.pathname}: run \`npm run goldens\` and look at it`);
        // The words and amounts exactly, then the look within a tolerance.
        expect(text, `text of page ${page} against ${textGolden.pathname}`).toBe(readFileSync(textGolden, "utf8"));
        expectPixels(png, golden);
      }
    });
  }
});
