import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Profile } from "../../src/profile/index.ts";
import { ROOT } from "../server/support.ts";
import { launchChromium } from "../studio/browser.ts";
import { AGENT_KEYS, type AgentHarness, CUSTOMER, recordCustomer, startAgent } from "./harness.ts";

/**
 * The agent's view in real headless Chromium against the real server: signed in, used from the keyboard alone,
 * checked by axe against WCAG 2.2 A and AA, and watched for what reaches a URL. Screenshots go to out/agent-e2e/.
 */
const SHOTS = join(ROOT, "out/agent-e2e");
const WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];

let h: AgentHarness;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
let profile: Profile;
let hero: string;
let declined: string;
let deliveries: Awaited<ReturnType<typeof recordCustomer>>["deliveries"];
const requested: string[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  [h, browser] = await Promise.all([startAgent("sqlite"), launchChromium()]);
  let offers: string[];
  ({ profile, hero, offers, deliveries } = await recordCustomer(h.archive));
  // The customer turned the second offer down on a call: it is no longer one to make.
  declined = offers[1];
  await h.archive.recordResponses([
    {
      customerId: CUSTOMER,
      offerId: declined,
      response: "declined",
      at: "2026-11-03T16:20:00Z",
      source: "genesys",
      sourceId: "call-7802",
    },
  ]);
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  page.on("request", (r) => requested.push(r.url()));
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

const shot = (name: string, fullPage = false) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
/**
 * The page's own violations. The email as sent is left out, frame and all: its frame may run no script (an empty
 * sandbox), so axe cannot enter it and waits on it for ever. The frame's title is asserted where it is opened.
 */
const violations = async () => {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_AA).exclude("iframe").analyze();
  return violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
};
/** Presses Tab until the element matching `selector` has focus; fails after `max` presses. */
const tabTo = async (selector: string, max = 40) => {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
};

describe("the agent's view in Chromium", () => {
  test("asks for a key first, and signs in from the keyboard", async () => {
    await page.goto(h.base);
    await page.waitForSelector("#sign-in:not([hidden])");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("api-key");
    expect(await violations()).toEqual([]);
    await shot("01-sign-in");
    await page.keyboard.type(AGENT_KEYS.agent.key);
    await page.keyboard.press("Enter");
    await page.waitForSelector("#find:not([hidden])");
    expect(await page.textContent("#signed-in-as")).toBe("Signed in as call-centre-desk");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("query");
  });

  test("finds the customer by account number on Enter; the number reaches no URL", async () => {
    await page.keyboard.type(profile.account.number);
    await page.keyboard.press("Enter");
    await page.waitForSelector("#customer-heading");
    expect(page.url()).toBe(`${h.base}#customer=${CUSTOMER}`);
    expect(requested.filter((u) => u.includes(encodeURIComponent(profile.account.number)))).toEqual([]);
    expect(requested.filter((u) => u.includes(profile.account.number))).toEqual([]);
    // Focus moves to the customer, so a screen reader starts reading there.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("customer-heading");
    expect(await page.textContent("#status")).toContain(`Customer ${CUSTOMER}`);
  });

  test("puts the bill's offer at the top, then one timeline of every channel, newest first", async () => {
    expect(await page.locator(".offer-now .offers li").first().getAttribute("data-offer")).toBe(hero);
    const headings = await page.locator(".timeline > li h4").allTextContents();
    expect(headings.length).toBeGreaterThanOrEqual(10);
    const times = await page
      .locator(".timeline > li > .when time")
      .evaluateAll((ts) => ts.map((t) => t.getAttribute("datetime")!));
    expect(times.map(Date.parse)).toEqual(times.map(Date.parse).sort((a, b) => b - a));
    const kinds = new Set(
      await page.locator(".timeline > li").evaluateAll((ls) => ls.map((l) => l.getAttribute("data-kind"))),
    );
    expect(kinds).toEqual(new Set(["pdf", "email", "sms", "offer", "interaction", "delivery"]));
    // A problem says so in words, not by its colour alone.
    expect(await page.textContent(".problems")).toContain(
      "email: not delivered: sent another way (550 5.1.1 mailbox unknown)",
    );
    expect(await page.textContent(`#delivery-${deliveries.quiet} h4`)).toMatch(
      /^Delivery by text message: waiting for quiet hours to end/,
    );
    expect(await page.textContent(`#delivery-${deliveries.sms} h4`)).toBe("Delivery by text message: delivered");
    expect(await page.locator(`.entry.offer:has-text("${hero}") .state`).textContent()).toBe("clicked");
    expect(await page.locator(`.entry.offer:has-text("${declined}") .state`).textContent()).toBe("declined");
    const offered = await page.locator(".offer-now .offers li").evaluateAll((ls) => ls.map((l) => l.dataset.offer));
    expect(offered).not.toContain(declined);
    // The PDF's first page, drawn by the server.
    const thumb = page.locator(".entry.pdf img.thumbnail").first();
    await thumb.scrollIntoViewIfNeeded();
    // The first page image after a pause starts the server's drawing thread: allow it a loaded machine's time.
    await page.waitForFunction(
      () => {
        const img = document.querySelector<HTMLImageElement>(".entry.pdf img.thumbnail");
        return img?.complete && img.naturalWidth > 0;
      },
      undefined,
      { timeout: 80_000 },
    );
    expect(await thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(397);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot("02-customer");
  }, 90_000);

  test("opens the email as sent from the keyboard, in a frame that may run nothing", async () => {
    await tabTo(".entry.email button");
    await page.keyboard.press("Enter");
    const frame = page.locator(".entry.email iframe").first();
    await frame.waitFor();
    expect(await frame.getAttribute("sandbox")).toBe("");
    expect(await frame.getAttribute("title")).toMatch(/^The email as sent: /);
    const body = page.frameLocator(".entry.email iframe").first().locator("body");
    await expect.poll(async () => (await body.textContent()) ?? "", { timeout: 20_000 }).toContain(profile.name.first);
    expect(await page.locator(".entry.email button").first().getAttribute("aria-expanded")).toBe("true");
    // Focus is visible: the browser draws the page's outline around the focused button.
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).toBe("solid");
    await page.locator(".entry.email").first().scrollIntoViewIfNeeded();
    await shot("03-email-open");
    await page.screenshot({ path: join(SHOTS, "04-whole-page.png"), fullPage: true });
  });

  test("meets WCAG 2.2 AA as axe checks it, with every part of the timeline open", async () => {
    expect(await violations()).toEqual([]);
  }, 90_000);

  test("reaches every link and button from the keyboard", async () => {
    const reachable = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>("a[href], button, input, summary"))
        .filter((e) => e.offsetParent !== null)
        .every((e) => e.tabIndex >= 0),
    );
    expect(reachable).toBe(true);
    await page.focus("#query");
    await tabTo(".offer-now summary");
    await page.keyboard.press("Enter");
    expect(await page.locator(".offer-now details").getAttribute("open")).toBe("");
    expect(await page.textContent(".offer-now details")).toContain(declined);
    await page.locator(".offer-now").scrollIntoViewIfNeeded();
    await shot("05-not-to-offer");
  });

  test("goes from a problem to its delivery, and between a fallback and what it stands in for, by keyboard", async () => {
    const focused = () => page.evaluate(() => document.activeElement?.id);
    await page.focus("#query");
    await tabTo(".problems button");
    await page.keyboard.press("Enter");
    expect(await focused()).toBe(`delivery-${deliveries.email}`);
    // The next stop is the email's own way to the letter sent in its place.
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Go to the letter (post)");
    await page.keyboard.press("Enter");
    expect(await focused()).toBe(`delivery-${deliveries.letter}`);
    expect(await page.textContent(`#delivery-${deliveries.letter} h4`)).toBe(
      "Fallback delivery by letter (post): sent",
    );
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    expect(await focused()).toBe(`delivery-${deliveries.email}`);
    // Its steps, oldest first, open from the keyboard.
    await tabTo(`#delivery-${deliveries.email} summary`);
    await page.keyboard.press("Enter");
    const steps = await page.locator(`#delivery-${deliveries.email} .events li`).allTextContents();
    expect(steps.map((s) => s.split(",")[0])).toEqual([
      "waiting to be sent",
      "being sent",
      "sent",
      "bounced",
      "not delivered: sent another way",
    ]);
    expect(steps[3]).toContain(": 550 5.1.1 mailbox unknown");
    await page.locator(`#delivery-${deliveries.email}`).scrollIntoViewIfNeeded();
    await shot("06-delivery-fallback");
    expect(await violations()).toEqual([]);
  }, 90_000);

  test("signs out: the session ends on the server and the customer leaves the screen", async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.click("#sign-out");
    await page.waitForSelector("#sign-in:not([hidden])");
    expect(await page.locator("#customer-heading").count()).toBe(0);
    const status = await page.evaluate(async () => (await fetch("api/session")).status);
    expect(status).toBe(401);
    expect(page.url()).toBe(h.base);
  });
});
