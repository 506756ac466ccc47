import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailChannel } from "../../../src/channels/email/index.ts";
import { contrastRatio } from "../../../src/channels/email/index.ts";
import { nodeWorld } from "../../../src/node-world.ts";
import { energyBillPackage } from "../../support/email-package.ts";
import { emailView } from "../../support/email-view.ts";
import { CHROMIUM_LAUNCH } from "../../support/chromium.ts";

/** The email as a person sees it: real Chromium, phone and desktop widths, light and dark. */

let browser: Browser;
let html: string;

beforeAll(async () => {
  const compiled = await emailChannel.compile(energyBillPackage(), nodeWorld());
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
  const view = emailView("fr", { name: { title: "Mme", first: "Marie-Thérèse", last: "Delacroix-Montgolfier" } });
  const out = await emailChannel.render(compiled.value, view, { warnings: { warn: () => {} } });
  if (!out.ok) throw new Error(JSON.stringify(out.problems));
  html = out.value.html;
  browser = await chromium.launch(CHROMIUM_LAUNCH);
});
afterAll(async () => browser?.close());

const hex = (rgb: string) =>
  `#${(rgb.match(/\d+/g) ?? [])
    .slice(0, 3)
    .map((n) => Number(n).toString(16).padStart(2, "0"))
    .join("")}`.toUpperCase();

async function open(width: number, colorScheme: "light" | "dark") {
  const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme });
  await page.setContent(html, { waitUntil: "load" });
  return page;
}

describe("the email in Chromium", () => {
  for (const width of [375, 600]) {
    it(`fits ${width} px without horizontal scrolling, with the chart loaded`, async () => {
      const page = await open(width, "light");
      const size = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        chart: (document.querySelector("img") as HTMLImageElement).naturalWidth,
        chartShown: (document.querySelector("img") as HTMLImageElement).getBoundingClientRect().width,
      }));
      await page.close();
      expect(size.scroll).toBeLessThanOrEqual(width);
      expect(size.chart).toBe(1104);
      expect(size.chartShown).toBeLessThanOrEqual(width);
    });
  }

  it("keeps the balance readable in dark mode", async () => {
    for (const scheme of ["light", "dark"] as const) {
      const page = await open(375, scheme);
      const colours = await page.evaluate(() => {
        const amount = document.querySelector(".od-amount div") as HTMLElement;
        let box: HTMLElement | null = amount;
        while (box && !box.classList.contains("od-box")) box = box.parentElement;
        return { fg: getComputedStyle(amount).color, bg: getComputedStyle(box as HTMLElement).backgroundColor };
      });
      await page.close();
      const ratio = contrastRatio(hex(colours.fg), hex(colours.bg));
      expect(ratio, `${scheme}: ${colours.fg} on ${colours.bg}`).toBeGreaterThanOrEqual(4.5);
      if (scheme === "dark") expect(hex(colours.bg)).not.toBe("#F1F6F9");
    }
  });
});
