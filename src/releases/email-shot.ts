import type { Browser } from "playwright-core";
import { type Result, fail, ok, problem } from "../core/index.ts";

/** Debian's Chromium, where `apt-get install chromium` puts it. */
export const DEFAULT_CHROMIUM = "/usr/bin/chromium";
/** The email's design width: what a desktop client shows, and the width the template is laid out for. */
const EMAIL_WIDTH = 600;
/** Nothing that talks to the network by itself: the screenshot is the email's own bytes and nothing else. */
const QUIET = ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/** Screenshots of emails in one headless Chromium, started once for all the emails of a comparison. */
export interface EmailCamera {
  /** The whole email at 600 px wide, as PNG. */
  shoot(html: string): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** Starts Chromium at `executablePath`; a problem that says how to get one when it cannot start. */
export async function openEmailCamera(executablePath: string): Promise<Result<EmailCamera>> {
  const { chromium } = await import("playwright-core");
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath, headless: true, args: QUIET });
  } catch (err) {
    const first = (err as Error).message.split("\n")[0];
    return fail(
      problem(
        "OMD_RELEASE_DIFF_BROWSER",
        `the emails cannot be shown in Chromium at ${executablePath}: ${first}; their subject and text are compared as words only`,
        executablePath,
        "install Chromium (apt-get install chromium) or name its executable",
      ),
    );
  }
  return ok({
    async shoot(html) {
      const page = await browser.newPage({ viewport: { width: EMAIL_WIDTH, height: 900 } });
      try {
        // The email stands alone (its chart is a data URI): anything it would fetch is refused, not waited for.
        await page.route(/^(?!data:)/, (route) => route.abort());
        await page.setContent(html, { waitUntil: "load" });
        return await page.screenshot({ fullPage: true, type: "png" });
      } finally {
        await page.close();
      }
    },
    close: () => browser.close(),
  });
}
