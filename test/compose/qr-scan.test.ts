import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type Engine, buildEngine, compose, nodeWorld } from "../../src/index.ts";
import { parseProfileLine } from "../../src/profile/index.ts";
import type { View } from "../../src/view/index.ts";
import { generateLines, inArrears } from "../support/customers.ts";
import { decodeQr, pageToPng, scratchDir } from "../support/pdf-render.ts";

/**
 * Every QR code of a statement scans from the page rasterised at 150 dpi (a fax-grade scan, or what a phone
 * resolves of a print at arm's length): zbar finds as many codes as the statement carries, each decoding to
 * its link. Over generated customers in every market, both templates.
 */

const CUSTOMERS = 40;

/** The links a template prints as QR codes for this view: its pay link and each `qr` offer on paper. */
const PLACED: Record<string, (v: View) => string[]> = {
  "energy-bill": (v) => {
    const items = [v.offers.hero, ...v.offers.secondary, ...v.offers.notices];
    const offers = items.flatMap((i) => (i?.qr && i.cta && i.channels.includes("print") ? [i.cta.links.pdf.url] : []));
    const pay = v.account.isCredit || v.account.isSettled || v.account.directDebit ? [] : [v.links.pay];
    return [...pay, ...offers];
  },
  "payment-reminder": (v) => [v.links.pay],
};

const customers = generateLines(CUSTOMERS, "--seed", "15").map((line, i) => {
  const r = parseProfileLine(line, i + 1);
  if (!r.ok) throw new Error(`generated line ${i + 1} is invalid`);
  return r.value;
});

let engine: Engine;
beforeAll(async () => {
  const built = await buildEngine(nodeWorld());
  if (!built.ok) throw new Error(JSON.stringify(built.problems));
  engine = built.value;
});

describe.each(Object.keys(PLACED))("QR codes of the %s", (template) => {
  it("all decode at 150 dpi to the links placed, none missing", async () => {
    const dir = scratchDir(`qr-scan-${template}`);
    let placed = 0;
    // The reminder is composed only for customers in its audience: every generated customer is put there.
    for (const customer of customers) {
      const profile = template === "payment-reminder" ? inArrears(customer) : customer;
      const r = await compose(engine, profile, { template, channels: ["pdf"], runDate: "2026-11-01" });
      if (!r.ok || !r.value.pdf) throw new Error(JSON.stringify(r));
      expect(
        r.value.warnings.filter((w) => w.code === "OMD_PDF_QR_TOO_SMALL"),
        profile.id,
      ).toEqual([]);
      const file = join(dir, `${profile.id}.pdf`);
      writeFileSync(file, r.value.pdf.bytes);
      const decoded = Array.from({ length: r.value.pdf.pages }, (_, p) => decodeQr(pageToPng(file, p + 1, 150))).flat();
      const expected = PLACED[template](r.value.view);
      expect(decoded.sort(), profile.id).toEqual(expected.sort());
      placed += expected.length;
    }
    expect(placed).toBeGreaterThanOrEqual(CUSTOMERS / 2);
  }, 600_000);
});
