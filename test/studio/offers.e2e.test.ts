import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { audienceVerdict } from "../../src/compose.ts";
import { NO_HISTORY, decide } from "../../src/decide/index.ts";
import { launchChromium } from "./browser.ts";
import { ROOT, type StudioHarness, startStudio } from "./harness.ts";

/**
 * The offer editor end to end in headless Chromium: a marketer edits an offer's copy and eligibility and sees the
 * preview and the impact change, a bad expression shown at its character, and the save written as a developer
 * would write it. Over a temporary copy of the catalogue; screenshots go to out/studio-e2e/.
 */
const SHOTS = join(ROOT, "out/studio-e2e");
const TEMPLATE = "energy-bill";
const WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];

let h: StudioHarness;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
let original: string;
/** The sample customer and the hero offer the tests edit, chosen by deciding as the engine does. */
let target: { customer: string; item: string; language: string; headline: string };

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  [h, browser] = await Promise.all([startStudio(), launchChromium()]);
  original = readFileSync(h.catalogue, "utf8");
  page = await browser.context.newPage();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });
const plain = (s: string | null | undefined) => (s ?? "").replace(/[‘’]/g, "'").replace(/\s+/g, " ").trim();
const pdfText = async () => plain((await page.locator("#pane-pdf .page-text").allTextContents()).join(" "));
const engine = () => h.studio.live.current().engine!;
const field = (path: string) => `#offer-${path.replace(/\./g, "-")}`;
/** Sample customers (inside the template's audience) whose decision on `runDate` holds item `id` in any slot. */
const holding = (id: string, runDate: string) =>
  [...h.studio.samples.all.values()].filter((p) => {
    const template = engine().templates.get(TEMPLATE)!;
    if (audienceVerdict(template, p, runDate).status !== "inside") return false;
    const history = h.studio.samples.histories.get(p.id) ?? NO_HISTORY;
    const d = decide(engine().catalogue, p, { runDate, history });
    return Object.values(d.slots).some((items) => items.some((i) => i.id === id));
  }).length;

describe("the offer editor in Chromium", () => {
  test("opens on the Offers tab with a catalogue item's fields", async () => {
    await page.goto(`${h.base}#key=${h.keys.editor}`);
    await page.waitForSelector("#customer-list [aria-current=true]", { timeout: 180_000 });
    const runDate = await page.inputValue("#run-date");
    // A curated customer whose hero is an offer printed on the statement, without a cap: editing it moves no one else.
    for (const s of h.studio.samples.curated) {
      const d = decide(engine().catalogue, s.profile, {
        runDate,
        history: h.studio.samples.histories.get(s.id) ?? NO_HISTORY,
      });
      const hero = d.slots.hero[0];
      const item = engine().catalogue.items.find((i) => i.id === hero?.id);
      if (hero && item && item.cap === undefined && hero.channels.includes("print")) {
        const language = s.profile.preferences.language;
        target = { customer: s.id, item: hero.id, language, headline: hero.copy.headline };
        break;
      }
    }
    expect(target, "a curated customer with an uncapped printed hero").toBeDefined();
    await page.click("#tab-offers");
    expect(page.url()).toMatch(/#\/offers$/);
    await page.selectOption("#offer-customer", target.customer);
    await page.click(`#offer-item-${target.item}`);
    await expect.poll(() => page.inputValue(field(`copy.${target.language}.headline`))).toBe(target.headline);
    await expect.poll(pdfText, { timeout: 180_000 }).toContain(plain(target.headline));
    await shot("offers-01-opened");
  }, 240_000);

  test("editing the copy changes the preview, and the impact says no decision moves", async () => {
    const headline = `${target.headline.slice(0, 40)} now`;
    await page.fill(field(`copy.${target.language}.headline`), headline);
    await expect.poll(pdfText, { timeout: 180_000 }).toContain(plain(headline));
    await expect.poll(() => page.textContent("#offer-impact"), { timeout: 30_000 }).toContain("No decision changes");
    await expect.poll(() => page.textContent("#offer-lines")).toMatch(/^1 line of .* changes$/);
    // Nothing is written until the marketer saves.
    expect(readFileSync(h.catalogue, "utf8")).toBe(original);
    await shot("offers-02-copy-edited");
  }, 240_000);

  test("a bad eligibility expression is shown under the field at the character typed", async () => {
    const eligibility = page.locator(field("eligibility"));
    const before = await eligibility.inputValue();
    const typo = "exists(contact.emial)";
    await eligibility.fill(`${typo} and ${before}`);
    const problem = page.locator(`${field("eligibility")}-problems li`);
    await expect.poll(() => problem.getAttribute("data-code"), { timeout: 30_000 }).toBe("OMD_CATALOGUE_UNKNOWN_FIELD");
    expect(Number(await problem.getAttribute("data-offset"))).toBe(typo.indexOf("contact.emial"));
    expect(await problem.locator("mark").textContent()).toBe("c");
    expect(await eligibility.getAttribute("aria-invalid")).toBe("true");
    expect(await page.isDisabled("#offer-save")).toBe(true);
    await shot("offers-03-eligibility-problem");
    await eligibility.fill(before);
    await expect.poll(() => problem.count(), { timeout: 30_000 }).toBe(0);
  });

  test("an eligibility no one meets: the impact counts the customers who lose the offer", async () => {
    const runDate = await page.inputValue("#run-date");
    const losing = holding(target.item, runDate);
    expect(losing).toBeGreaterThan(0);
    await page.fill(field("eligibility"), "false");
    const summary = page.locator("#impact-summary");
    await expect.poll(() => summary.textContent(), { timeout: 30_000 }).toMatch(/^\d+ of \d+ sample customers/);
    const [changed, customers] = ((await summary.textContent())!.match(/\d+/g) ?? []).map(Number);
    expect(changed).toBeGreaterThanOrEqual(losing);
    expect(customers).toBeGreaterThanOrEqual(changed);
    const first = await page.locator("#offer-impact .moves li").first().textContent();
    expect(first).toContain(`from ${target.item} to`);
    // The preview follows: the offer leaves this customer's statement.
    await expect.poll(pdfText, { timeout: 180_000 }).not.toContain(plain(target.headline.slice(0, 40)));
    await shot("offers-04-impact");
  }, 240_000);

  test("the Offers view has no WCAG AA violations, and the form is reachable by keyboard", async () => {
    // Checked at rest: a preview being composed dims the channels for a moment.
    await page.waitForSelector(".channels:not(.is-busy)", { timeout: 180_000 });
    const { violations } = await new AxeBuilder({ page }).withTags(WCAG_AA).exclude("iframe").analyze();
    expect(violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual(
      [],
    );
    await page.focus(field("priority"));
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("offer-eligibility");
  }, 240_000);

  test("saving writes only the edited lines to the catalogue and keeps a draft release", async () => {
    const eligibility = engine().catalogue.items.find((i) => i.id === target.item)!.eligibility;
    await page.fill(field("eligibility"), eligibility);
    const headline = `${target.headline.slice(0, 40)} now`;
    await expect.poll(() => page.textContent("#offer-lines"), { timeout: 30_000 }).toMatch(/^1 line of/);
    await page.click("#offer-save");
    await expect.poll(() => page.textContent("#offer-saved"), { timeout: 120_000 }).toMatch(/^Saved to /);
    expect(await page.textContent("#offer-saved")).toMatch(/Draft release [0-9a-f]{12} made/);
    const before = original.split("\n");
    const after = readFileSync(h.catalogue, "utf8").split("\n");
    expect(after.length).toBe(before.length);
    const changed = after.flatMap((line, i) => (line === before[i] ? [] : [[before[i], line]]));
    expect(changed).toHaveLength(1);
    expect(changed[0][1]).toContain(headline);
    const releases = await h.archive.releases({ template: TEMPLATE });
    expect(releases.map((r) => [r.state, r.steps[0].by])).toEqual([["draft", "marketer"]]);
    await shot("offers-05-saved");
  }, 240_000);

  test("the release page: propose with a proof set, four eyes refused in words, a reviewer approves what was shown", async () => {
    await page.click("#tab-releases");
    await page.waitForSelector("#release-state", { timeout: 30_000 });
    expect(await page.textContent("#release-state")).toBe("draft");
    await page.click("#release-propose");
    await expect.poll(() => page.textContent("#release-message"), { timeout: 180_000 }).toBe("Propose: done.");
    expect(await page.textContent("#release-state")).toBe("review");
    const hash = (await page.textContent("#proof-hash"))!;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    await page.locator(".proof-docs button", { hasText: "pdf" }).first().click();
    await page.waitForSelector("#proof-doc img", { timeout: 60_000 });
    await page.click("#release-approve");
    await expect
      .poll(() => page.textContent("#release-message"), { timeout: 30_000 })
      .toMatch(/^Approve refused: marketer proposed release [0-9a-f]{8}, so marketer may not approve it/);
    await shot("offers-06-four-eyes");

    // Another person: the page loaded afresh (a new fragment alone would not reload it) with the reviewer's key.
    await page.goto("about:blank");
    await page.goto(`${h.base}#key=${h.keys.reviewer}`);
    await page.waitForSelector("#customer-list [aria-current=true]", { timeout: 60_000 });
    await page.click("#tab-releases");
    await page.waitForSelector("#release-approve:not([disabled])", { timeout: 30_000 });
    expect(await page.textContent("#proof-hash")).toBe(hash);
    await page.click("#release-approve");
    await expect.poll(() => page.textContent("#release-message"), { timeout: 30_000 }).toBe("Approve: done.");
    expect(await page.textContent("#release-state")).toBe("approved");
    const [release] = await h.archive.releases({ template: TEMPLATE });
    expect(release.steps.map((s) => [s.action, s.by, s.seen])).toEqual([
      ["save", "marketer", undefined],
      ["propose", "marketer", undefined],
      ["approve", "reviewer", hash],
    ]);
    await shot("offers-07-approved");
  }, 300_000);

  test("a new draft against the released version: pages side by side with the changes, the email's words", async () => {
    await page.click("#release-publish");
    await expect.poll(() => page.textContent("#release-state"), { timeout: 30_000 }).toBe("released");
    // The marketer changes the headline again and saves: a new draft release.
    await page.goto("about:blank");
    await page.goto(`${h.base}#key=${h.keys.editor}`);
    await page.waitForSelector("#customer-list [aria-current=true]", { timeout: 60_000 });
    await page.click("#tab-offers");
    await page.selectOption("#offer-customer", target.customer);
    await page.click(`#offer-item-${target.item}`);
    const headline = `${target.headline.slice(0, 40)} today`;
    await page.fill(field(`copy.${target.language}.headline`), headline);
    await expect.poll(() => page.textContent("#offer-lines"), { timeout: 120_000 }).toMatch(/^1 line of/);
    await page.click("#offer-save");
    await expect.poll(() => page.textContent("#offer-saved"), { timeout: 120_000 }).toMatch(/Draft release/);

    await page.click("#tab-releases");
    await expect.poll(() => page.textContent("#release-state"), { timeout: 30_000 }).toBe("draft");
    await page.click("#release-compare");
    await expect.poll(() => page.textContent("#release-message"), { timeout: 240_000 }).toBe("Compare: done.");
    const customer = page.locator(`.customer-diff[data-customer=${target.customer}]`);
    expect(Number(await customer.locator(".image-diff").first().getAttribute("data-changed"))).toBeGreaterThan(0);
    expect(await customer.locator("ins").allTextContents()).toContain("today");
    await page.locator(`.customer-diff[data-customer=${target.customer}] img`).first().scrollIntoViewIfNeeded();
    await shot("offers-08-diff");
  }, 400_000);
});
