import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { type Composition, type Engine, buildEngine, compose, nodeWorld, parseProfileLine } from "../../src/index.ts";
import type { ViewItem } from "../../src/view/index.ts";
import { generateLines } from "../support/customers.ts";

const execFileAsync = promisify(execFile);

/** One decision, every channel: what each channel shows a customer must agree, over many generated customers. */
const COUNT = Number(process.env.OMNIDOC_CONSISTENCY_COUNT ?? 1000);

/** Text as a reader sees it: ligatures unfolded (pdftotext keeps "ﬁ"), any run of white space is one space. */
const plain = (s: string) => s.normalize("NFKC").replace(/\s+/g, " ");

interface Seen {
  c: Composition;
  pdf: string;
  email?: string;
  sms?: string;
}

let seen: Seen[] = [];

/** Statements read back by one pdftotext process (a process per statement was a third of this file's time). */
const CHUNK = 200;

beforeAll(async () => {
  const engine = await buildEngine(nodeWorld());
  if (!engine.ok) throw new Error(JSON.stringify(engine.problems));
  const dir = mkdtempSync(join(tmpdir(), "omnidoc-consistency-"));
  const composed: Composition[] = [];
  const texts: Promise<string[]>[] = [];
  for (const [i, line] of generateLines(COUNT, "--seed", "11").entries()) {
    const profile = parseProfileLine(line, i + 1);
    if (!profile.ok) throw new Error(JSON.stringify(profile.problems));
    composed.push(await composeAll(engine.value, profile.value));
    // Each chunk is read back while the next one is composed.
    if (composed.length % CHUNK === 0) texts.push(pdfTexts(composed.slice(-CHUNK), dir));
  }
  if (composed.length % CHUNK > 0) texts.push(pdfTexts(composed.slice(-(composed.length % CHUNK)), dir));
  const pdfs = (await Promise.all(texts)).flat();
  expect(pdfs).toHaveLength(COUNT);
  seen = composed.map((c, i) => ({
    c,
    pdf: plain(pdfs[i]),
    email: c.email && plain(c.email.text),
    sms: c.sms && plain(c.sms.text),
  }));
}, 1_200_000);

async function composeAll(engine: Engine, profile: Parameters<typeof compose>[1]): Promise<Composition> {
  const r = await compose(engine, profile, {
    template: "energy-bill",
    channels: ["pdf", "email", "sms"],
    runDate: profile.account.statementDate,
    channelOptions: { emailChart: false },
  });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  if (!r.value.pdf) throw new Error(`no PDF for ${profile.id}: ${JSON.stringify(r.value.problems)}`);
  return r.value;
}

/**
 * The text of each statement's PDF: the statements are joined into one file (pdfunite) and read by one
 * pdftotext, whose output ends every page with a form feed; each statement's page count splits it back.
 */
async function pdfTexts(batch: Composition[], dir: string): Promise<string[]> {
  const files = batch.map((c) => {
    const file = join(dir, `${c.view.customer.id}.pdf`);
    writeFileSync(file, c.pdf!.bytes);
    return file;
  });
  const joined = join(dir, `${batch[0].view.customer.id}-joined.pdf`);
  await run("pdfunite", [...files, joined]);
  const pages = (await run("pdftotext", ["-enc", "UTF-8", joined, "-"])).split("\f");
  expect(pages.pop()).toBe(""); // after the last form feed
  expect(pages).toHaveLength(batch.reduce((n, c) => n + c.pdf!.pages, 0));
  return batch.map((c) => pages.splice(0, c.pdf!.pages).join("\f"));
}

const run = async (command: string, args: string[]) =>
  (await execFileAsync(command, args, { encoding: "utf8", maxBuffer: 1 << 30 })).stdout;

const chosen = (c: Composition): ViewItem[] =>
  [c.view.offers.hero, ...c.view.offers.secondary, ...c.view.offers.notices].filter((x): x is ViewItem => !!x);

describe(`one decision, every channel (${COUNT} customers)`, () => {
  it("prints the same balance, and the due date of anything owed, in the PDF, the email and the SMS", () => {
    for (const { c, pdf, email, sms } of seen) {
      const { balanceDue, dueDate, isCredit } = c.view.account;
      for (const text of [pdf, email, sms]) {
        if (text === undefined) continue;
        expect(text, c.view.customer.id).toContain(plain(balanceDue));
        // A credit has nothing to pay by a date.
        if (!isCredit) expect(text, c.view.customer.id).toContain(plain(dueDate));
      }
    }
  });

  it("shows the hero offer in every channel that may carry it, linking through that channel's own tracked link", () => {
    let heroes = 0;
    for (const { c, pdf, email, sms } of seen) {
      const hero = c.view.offers.hero;
      if (!hero) continue;
      heroes++;
      if (hero.channels.includes("print")) expect(pdf, c.view.customer.id).toContain(plain(hero.headline));
      if (email !== undefined && hero.channels.includes("email")) {
        expect(email, c.view.customer.id).toContain(plain(hero.headline));
        if (hero.cta) expect(c.email?.html).toContain(hero.cta.links.email.url);
        expect(c.email?.html).not.toContain("utm_");
      }
      if (sms !== undefined && hero.sms && c.sms?.parts.some((p) => /offer|hero/.test(p)))
        expect(sms, c.view.customer.id).toContain(plain(hero.sms));
    }
    expect(heroes).toBeGreaterThan(COUNT / 10);
  });

  it("leaves out of a channel every item that may not go by it", () => {
    let absences = 0;
    for (const { c, pdf, email, sms } of seen) {
      for (const item of chosen(c)) {
        const where = `${c.view.customer.id} ${item.id}`;
        if (!item.channels.includes("print")) {
          absences++;
          expect(pdf, where).not.toContain(plain(item.headline));
        }
        if (email !== undefined && !item.channels.includes("email")) {
          absences++;
          expect(email, where).not.toContain(plain(item.headline));
        }
        if (sms !== undefined && !item.channels.includes("sms")) {
          absences++;
          expect(item.sms === undefined || !sms.includes(plain(item.sms)), where).toBe(true);
        }
      }
    }
    expect(absences).toBeGreaterThan(0);
  });

  it("sends no marketing in any channel to a customer without consent", () => {
    let withoutConsent = 0;
    for (const { c } of seen) {
      if (c.view.customer.marketingConsent) continue;
      withoutConsent++;
      expect(
        chosen(c).filter((i) => i.marketing),
        c.view.customer.id,
      ).toEqual([]);
      expect(c.email?.marketing ?? false).toBe(false);
      expect(c.sms?.text ?? "").not.toMatch(/STOP/);
    }
    expect(withoutConsent).toBeGreaterThan(COUNT / 10);
  });
});
