import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { parseCatalogue } from "../../src/decide/index.ts";
import { type Composition, type Profile, buildEngine, compose, nodeWorld, parseProfileLine } from "../../src/index.ts";
import { generateLines } from "../support/customers.ts";

/** Each channel says what it carries: only paper has the winter guide's QR code, so only paper says "scan". */

const SCAN = /\b(?:scan\w*|QR)\b/i;
const plain = (s: string) => s.normalize("NFKC").replace(/\s+/g, " ");

let withGuide: { profile: Profile; c: Composition }[];
beforeAll(async () => {
  const engine = await buildEngine(nodeWorld());
  if (!engine.ok) throw new Error(JSON.stringify(engine.problems));
  withGuide = [];
  for (const [i, line] of generateLines(300, "--seed", "15").entries()) {
    const p = parseProfileLine(line, i + 1);
    if (!p.ok) throw new Error(JSON.stringify(p.problems));
    const r = await compose(engine.value, p.value, {
      template: "energy-bill",
      channels: ["email", "sms"],
      runDate: "2026-11-01",
      channelOptions: { emailChart: false },
    });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    if (r.value.decision.slots.secondary.some((s) => s.id === "winter-guide"))
      withGuide.push({ profile: p.value, c: r.value });
  }
}, 120_000);

describe("per-channel copy", () => {
  it("never asks an email or text reader to scan a code, over generated customers given the winter guide", () => {
    let emails = 0;
    for (const { c } of withGuide) {
      if (c.email) {
        emails++;
        expect(plain(c.email.text), c.view.customer.id).not.toMatch(SCAN);
      }
      if (c.sms) expect(c.sms.text, c.view.customer.id).not.toMatch(SCAN);
    }
    expect(emails).toBeGreaterThan(100);
  });

  // That the code is there and scans is offer-qr.test.ts's part.
  it("keeps 'scan the code' on paper, beside the code, in every language", async () => {
    const engine = await buildEngine(nodeWorld());
    if (!engine.ok) throw new Error(JSON.stringify(engine.problems));
    const dir = mkdtempSync(join(tmpdir(), "omnidoc-channel-copy-"));
    for (const language of ["en", "fr", "de"] as const) {
      const { profile } = withGuide.find((x) => x.c.view.language === language)!;
      const r = await compose(engine.value, profile, {
        template: "energy-bill",
        channels: ["pdf"],
        runDate: "2026-11-01",
      });
      if (!r.ok || !r.value.pdf) throw new Error("no statement");
      const file = join(dir, `${language}.pdf`);
      writeFileSync(file, r.value.pdf.bytes);
      const text = plain((await promisify(execFile)("pdftotext", [file, "-"], { encoding: "utf8" })).stdout);
      const guide = r.value.view.offers.secondary.find((i) => i.id === "winter-guide")!;
      expect(text).toContain(plain(guide.print.body));
      expect(guide.print.body).toMatch(SCAN);
      expect(guide.email.body).not.toMatch(SCAN);
    }
  });

  it("rejects copy for a channel the item does not go by, naming the item", () => {
    const r = parseCatalogue(
      "bad.yaml",
      [
        "items:",
        "  - id: letter-only",
        "    kind: service",
        "    slot: secondary",
        "    priority: 1",
        '    eligibility: "true"',
        "    channels: [print]",
        "    marketing: false",
        "    copy:",
        "      en:",
        "        headline: Paper only",
        "        body: Only on paper.",
        "        email: { body: Said by email. }",
      ].join("\n"),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => [p.at, p.message])).toEqual([
      ["bad.yaml:13:16", expect.stringContaining("has email copy but email is not one of its channels")],
    ]);
  });
});
