import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmailOutput } from "../../../src/channels/channel.ts";
import { emailChannel } from "../../../src/channels/email/index.ts";
import { nodeWorld } from "../../../src/node-world.ts";
import { CHROMIUM_LAUNCH } from "../../support/chromium.ts";
import { energyBillPackage } from "../../support/email-package.ts";
import { emailView } from "../../support/email-view.ts";

/**
 * The hidden preheader as filters and readers meet it: SpamAssassin (Debian's, local tests only) must find no
 * hidden or low-contrast text in the message, and Chromium must show none of the preheader.
 */

const run = promisify(execFile);
let emails: EmailOutput[];
let browser: Browser;

beforeAll(async () => {
  const compiled = await emailChannel.compile(energyBillPackage(), nodeWorld());
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
  emails = [];
  for (const language of ["en", "fr", "de"] as const) {
    const out = await emailChannel.render(compiled.value, emailView(language), { warnings: { warn: () => {} } });
    if (!out.ok) throw new Error(JSON.stringify(out.problems));
    emails.push(out.value);
  }
  browser = await chromium.launch(CHROMIUM_LAUNCH);
});
afterAll(async () => browser?.close());

/** SpamAssassin's report on one message, with every rule that hit, scored or not (`--debug=rules`). */
async function spamAssassin(eml: Uint8Array): Promise<{ scored: string[]; hits: string[] }> {
  const child = execFile("spamassassin", ["-t", "-L", "--debug=rules"], { maxBuffer: 64 * 1024 * 1024 });
  const done = new Promise<{ stdout: string; stderr: string }>((resolve) => {
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d) => {
      stdout += d;
    });
    child.stderr?.on("data", (d) => {
      stderr += d;
    });
    // -t exits non-zero for a message it would call spam; the report is what matters.
    child.on("close", () => resolve({ stdout, stderr }));
  });
  child.stdin?.end(Buffer.from(eml));
  const { stdout, stderr } = await done;
  const details = stdout.slice(stdout.indexOf("Content analysis details"));
  const scored = [...details.matchAll(/^\s*-?\d+(?:\.\d+)? ([A-Z0-9_]+)\s/gm)].map((m) => m[1]);
  const hits = [...stderr.matchAll(/rule (\w+) =+> got hit/g)].map((m) => m[1]);
  return { scored, hits };
}

/** Rules and sub-rules for text hidden by colour or size: white-on-white, tiny or invisible fonts. */
const HIDDEN_TEXT = /LOW_CONTRAST|INVIS|TINY|HIDDEN/;
/**
 * Sub-rules no rule scores alone: one `display:none` (the preheader's; the rules need more than five) and
 * MJML's `font-size:0px` on column wrappers, which hold tables, never text.
 */
const LAYOUT_MARKS = new Set(["__STY_INVIS", "__STY_INVIS_1", "__STY_INVIS_1_MINFP", "__HTML_FONT_TINY_01"]);

describe("the preheader", () => {
  it("trips none of SpamAssassin's hidden-text rules", async () => {
    await run("spamassassin", ["-V"]);
    const reports = await Promise.all(emails.map((e) => spamAssassin(e.eml)));
    for (const report of reports) {
      expect(report.scored).toContain("HTML_MESSAGE");
      expect(report.scored.filter((rule) => HIDDEN_TEXT.test(rule))).toEqual([]);
      expect(report.hits.filter((rule) => HIDDEN_TEXT.test(rule) && !LAYOUT_MARKS.has(rule))).toEqual([]);
    }
  });

  it("is in the inbox's preview text but not shown in the opened email", async () => {
    for (const email of emails) {
      const page = await browser.newPage({ viewport: { width: 375, height: 900 } });
      await page.setContent(email.html, { waitUntil: "load" });
      const seen = await page.evaluate((preheader) => {
        const holder = Array.from(document.querySelectorAll("body div")).find(
          (d) => d.textContent?.trim() === preheader,
        );
        // innerText, unlike textContent, is the text as rendered: what display:none hides is not in it.
        // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point
        return { found: !!holder, shown: document.body.innerText.includes(preheader) };
      }, email.preheader);
      await page.close();
      expect(seen).toEqual({ found: true, shown: false });
    }
  });
});
