import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PDFDocument } from "pdf-lib";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { compose } from "../../src/compose.ts";
import { type Profile, validateProfile } from "../../src/profile/index.ts";
import { launchChromium } from "./browser.ts";
import { ROOT, type StudioHarness, startStudio } from "./harness.ts";

/**
 * The studio end to end in real headless Chromium, against the real API server on a loopback port, over a
 * temporary copy of the templates that the tests edit. Screenshots go to out/studio-e2e/.
 */
const SHOTS = join(ROOT, "out/studio-e2e");
const TEMPLATE = "energy-bill";

let h: StudioHarness;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
const requested: string[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  [h, browser] = await Promise.all([startStudio(), launchChromium()]);
  page = await browser.context.newPage();
  page.on("request", (r) => requested.push(r.url()));
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });
/** Text as it reads, whatever the line breaks and typography: PDF text wraps, SMS text has GSM quotes. */
const plain = (s: string | null | undefined) =>
  (s ?? "")
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[–—]/g, "-")
    .replace(/…/g, "...")
    .replace(/\s+/g, " ")
    .trim();
const engine = () => h.studio.live.current().engine!;
const composeFor = async (profile: Profile, runDate: string) => {
  const r = await compose(engine(), profile, { template: TEMPLATE, runDate, channels: ["sms"] });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value;
};
const heroId = () =>
  page
    .locator(".slot[data-slot=hero] .item")
    .getAttribute("data-item", { timeout: 1000 })
    .catch(() => null);
const pdfText = async () => plain((await page.locator("#pane-pdf .page-text").allTextContents()).join(" "));
const smsText = async () => plain(await page.textContent("#sms-text"));
const emailText = async () => plain(await page.frameLocator("#pane-email iframe").locator("body").textContent());
const templateFile = (rel: string) => join(h.templatesDir, TEMPLATE, rel);

describe("studio in Chromium", () => {
  test("opens from the printed URL, trades the key for a session and drops it from the address bar", async () => {
    await page.goto(`${h.base}#key=${h.keys.preview}`);
    await page.waitForSelector("#customer-list [aria-current=true]", { timeout: 60_000 });
    expect(page.url()).toBe(h.base);
    await page.waitForSelector("#pane-pdf img", { timeout: 60_000 });
    expect(await page.locator("#customer-list button").count()).toBe(h.studio.samples.curated.length);
    await shot("01-loaded");
  });

  test("a sample customer: the hero offer in the PDF, the email and the SMS", async () => {
    const runDate = await page.inputValue("#run-date");
    let pick: { id: string; headline: string; sms: string } | undefined;
    for (const s of h.studio.samples.curated.slice(1)) {
      const c = await composeFor(s.profile, runDate);
      const hero = c.decision.slots.hero[0];
      if (hero?.copy.sms && c.sms?.parts.includes("offer")) {
        pick = { id: s.id, headline: hero.copy.headline, sms: hero.copy.sms };
        break;
      }
    }
    expect(pick, "a curated customer whose hero goes by SMS").toBeDefined();
    await page.click(`#customer-${pick!.id}`);
    await expect
      .poll(() => page.textContent(".slot[data-slot=hero] .headline"), { timeout: 30_000 })
      .toBe(pick!.headline);
    await expect.poll(pdfText, { timeout: 30_000 }).toContain(plain(pick!.headline));
    await expect.poll(emailText, { timeout: 30_000 }).toContain(plain(pick!.headline));
    await expect.poll(smsText, { timeout: 30_000 }).toContain(plain(pick!.sms));
    expect(await page.getAttribute("#pane-email iframe", "sandbox")).toBe("");
    await shot("02-customer");
  });

  test("editing a profile field changes the decision, as the engine decides it", async () => {
    const before = await heroId();
    const profile = JSON.parse(await page.inputValue("#profile-json")) as Profile;
    const runDate = await page.inputValue("#run-date");
    // The first of the quick edits that changes this customer's hero: the test must see the decision move.
    const edits = [
      {
        control: "#quick-segment",
        value: "vulnerable",
        apply: (p: Profile) => ({ ...p, segment: "vulnerable" as const }),
      },
      {
        control: "#quick-account-inArrears",
        value: !profile.account.inArrears,
        apply: (p: Profile) => ({ ...p, account: { ...p.account, inArrears: !p.account.inArrears } }),
      },
      {
        control: "#quick-preferences-marketingConsent",
        value: !profile.preferences.marketingConsent,
        apply: (p: Profile) => ({
          ...p,
          preferences: { ...p.preferences, marketingConsent: !p.preferences.marketingConsent },
        }),
      },
    ];
    let edit: (typeof edits)[number] | undefined;
    let expected: Awaited<ReturnType<typeof composeFor>>["decision"] | undefined;
    for (const e of edits) {
      expected = (await composeFor(e.apply(profile), runDate)).decision;
      if ((expected.slots.hero[0]?.id ?? null) !== before) {
        edit = e;
        break;
      }
    }
    expect(edit, "a quick edit that changes the hero").toBeDefined();
    if (typeof edit!.value === "string") await page.selectOption(edit!.control, edit!.value);
    else await page.setChecked(edit!.control, edit!.value);
    await expect.poll(heroId, { timeout: 30_000 }).toBe(expected!.slots.hero[0]?.id ?? null);
    if (before) expect(await page.textContent("#decision-dropped")).toContain(before);
    const chosen = await page
      .locator(".slots .item")
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-item")).sort());
    expect(chosen).toEqual(
      expected!.trace
        .filter((t) => t.chosen)
        .map((t) => t.id)
        .sort(),
    );
    // Every item not chosen is listed with the rule that excluded it.
    const excluded = await page
      .locator(".excluded tbody tr")
      .evaluateAll((rows) => rows.map((r) => [r.getAttribute("data-item"), r.querySelector(".rule")?.textContent]));
    expect(excluded).toEqual(expected!.trace.filter((t) => !t.chosen).map((t) => [t.id, t.rule]));
    expect(await page.isVisible(".profile .badge.warn")).toBe(true);
    await shot("03-profile-edited");
  });

  test("the profile is validated as you type, with the engine's own messages, and the last preview stays", async () => {
    const profile = JSON.parse(await page.inputValue("#profile-json"));
    profile.tenureMonths = "twelve";
    const text = JSON.stringify(profile, null, 2);
    const r = validateProfile(JSON.parse(text));
    expect(r.ok).toBe(false);
    const expected = r.ok ? undefined : r.problems[0];
    await page.fill("#profile-json", text);
    await expect.poll(() => page.textContent("#profile-problems"), { timeout: 30_000 }).toContain(expected!.message);
    expect(await page.textContent("#profile-problems")).toContain(expected!.code);
    expect(await page.locator("#pane-pdf img").count()).toBeGreaterThan(0);
    await shot("04-profile-invalid");
    await page.fill("#profile-json", "{ not json");
    await expect.poll(() => page.textContent("#profile-problems"), { timeout: 30_000 }).toContain("OMD_INPUT_NOT_JSON");
    await page.click(".profile button.link");
    await expect.poll(() => page.textContent("#profile-problems"), { timeout: 30_000 }).toContain("Valid profile");
  });

  test("changing the run date recomposes the decision for that date", async () => {
    await page.fill("#run-date", "2027-03-15");
    await expect.poll(() => page.textContent("#decision .panel-head"), { timeout: 30_000 }).toContain("run 2027-03-15");
  });

  test("editing a template and a partial on disk updates the open page; the time is printed", async () => {
    const sms = templateFile("sms.hbs");
    const original = readFileSync(sms, "utf8");
    const started = performance.now();
    writeFileSync(sms, original.replace('{{#part "sender"}}', '{{#part "sender"}}PROOFED '));
    await expect.poll(smsText, { timeout: 30_000, interval: 25 }).toContain("PROOFED");
    const smsMs = Math.round(performance.now() - started);

    const footer = templateFile("partials/pdf-footer.hbs");
    const footerText = readFileSync(footer, "utf8");
    const footerStarted = performance.now();
    writeFileSync(footer, footerText.replace("<br/>", " Checked in the studio.<br/>"));
    await expect.poll(pdfText, { timeout: 30_000, interval: 25 }).toContain("Checked in the studio.");
    const pdfMs = Math.round(performance.now() - footerStarted);
    console.log(
      `studio live reload: SMS template edit on screen after ${smsMs} ms, PDF partial edit after ${pdfMs} ms`,
    );
    await shot("05-template-edited");
  });

  test("a broken template shows file, line and message while the last good preview stays", async () => {
    const sms = templateFile("sms.hbs");
    const good = readFileSync(sms, "utf8");
    writeFileSync(sms, `${good}\n{{#if account.inArrears}}\n`);
    await page.waitForSelector("#template-error", { timeout: 30_000 });
    const banner = plain(await page.textContent("#template-error"));
    const problem = h.studio.live.current().problems[0];
    expect(problem.code).toBe("OMD_TEMPLATE_SYNTAX");
    expect(banner).toContain(problem.code);
    expect(banner).toContain(problem.at!);
    expect(banner).toContain("sms.hbs");
    expect(banner).toContain(plain(problem.message));
    expect(await smsText()).toContain("PROOFED");
    expect(await page.locator("#pane-pdf img").count()).toBeGreaterThan(0);
    expect(await page.textContent(".status .pill")).toContain("Template error");
    await shot("06-template-broken");
    writeFileSync(sms, good);
    await page.waitForSelector("#template-error", { state: "detached", timeout: 30_000 });
  });

  test("keyboard: arrows in the customer list move the selection and the preview follows", async () => {
    await page.focus("#customer-list [aria-current=true]");
    const before = await page.getAttribute("#customer-list [aria-current=true]", "data-id");
    await page.keyboard.press("ArrowDown");
    const after = await page.getAttribute("#customer-list [aria-current=true]", "data-id");
    expect(after).not.toBe(before);
    await expect.poll(() => page.textContent("#decision .panel-head"), { timeout: 30_000 }).toContain(after!);
    await page.keyboard.press("?");
    await page.waitForSelector("dialog.help", { state: "visible", timeout: 5000 });
    await shot("07-shortcuts");
    await page.keyboard.press("Escape");
    await page.waitForSelector("dialog.help", { state: "detached", timeout: 5000 });
  });

  test("email at both widths", async () => {
    await page.click("#pane-email .segmented button:has-text('Both')");
    const widths = await page
      .locator("#pane-email iframe")
      .evaluateAll((f) => f.map((e) => (e as HTMLIFrameElement).getBoundingClientRect().width));
    expect(widths).toEqual([600, 375]);
    await shot("08-email-both");
  });

  test("a customer outside the template's audience: no document, a notice naming the rule, then back", async () => {
    const credit = h.studio.samples.curated.find((c) => c.label === "In credit")!;
    await page.click(`#customer-${credit.id}`);
    await page.selectOption("#template", "payment-reminder");
    await page.waitForSelector("#outside-audience", { timeout: 30_000 });
    const notice = plain(await page.textContent("#outside-audience"));
    expect(notice).toContain(`customer ${credit.id} is outside the audience of payment-reminder`);
    expect(notice).toContain("rule: account.balanceDue > 0");
    expect(notice).toMatch(/payment-reminder\/template\.yaml:\d+:\d+/);
    expect(await page.locator("#pane-pdf, #pane-email, #pane-sms, #template-error").count()).toBe(0);
    await shot("09-outside-audience");
    // On the proof sheet, the customers it is not for say so instead of waiting for a page.
    await page.click(".tabs button:has-text('Proof sheet')");
    await page.waitForSelector(`.proof-card[data-customer=${credit.id}] .thumb-outside`, { timeout: 60_000 });
    await shot("10-proof-outside-audience");
    await page.click(".tabs button:has-text('Preview')");
    await page.selectOption("#template", TEMPLATE);
    await page.waitForSelector("#pane-pdf img", { timeout: 30_000 });
    expect(await page.locator("#outside-audience").count()).toBe(0);
  });

  test("the proof sheet: every curated customer's first page and SMS, and the proof as one PDF", async () => {
    await page.click(".tabs button:has-text('Proof sheet')");
    await page.waitForSelector(".proof-card .thumb img", { timeout: 60_000 });
    expect(await page.locator(".proof-card").count()).toBe(h.studio.samples.curated.length);
    await expect
      .poll(() => page.locator(".proof-card .thumb img").count(), { timeout: 60_000 })
      .toBeGreaterThanOrEqual(4);
    await page.waitForTimeout(500);
    await shot("09-proof");
    const href = await page.getAttribute("#proof-download", "href");
    const pdf = await page.evaluate(async (url) => {
      const r = await fetch(url);
      return { type: r.headers.get("content-type"), bytes: Array.from(new Uint8Array(await r.arrayBuffer())) };
    }, href!);
    expect(pdf.type).toBe("application/pdf");
    const doc = await PDFDocument.load(new Uint8Array(pdf.bytes));
    expect(doc.getPageCount()).toBe(h.studio.samples.curated.length);
  }, 120_000);

  test("no request leaves the studio", () => {
    const origin = new URL(h.base).origin;
    const outside = requested.filter((u) => !u.startsWith(origin) && !/^(data|blob|about):/.test(u));
    expect(requested.length).toBeGreaterThan(10);
    expect(outside).toEqual([]);
  });
});
