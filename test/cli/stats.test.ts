import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openArchive } from "../../src/archive/index.ts";
import { formatStats } from "../../src/cli/stats.ts";
import { experimentVerdicts, withRates } from "../../src/offers/index.ts";
import { omnidoc } from "../support/cli.ts";
import { recordComposition } from "../server/relationship-support.ts";

const dir = mkdtempSync(join(tmpdir(), "omnidoc-stats-"));
const url = `sqlite:${join(dir, "archive.db")}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cells = (line: string) => line.trim().split(/\s{2,}/);

describe("omnidoc stats", () => {
  beforeAll(async () => {
    const opened = await openArchive(url);
    if (!opened.ok) throw new Error("archive did not open");
    const archive = opened.value;
    // Twelve customers: variants A and B of the EV headline by email; four accept B, one accepts A.
    for (let i = 0; i < 12; i++) {
      const customerId = `C00003${String(i).padStart(2, "0")}`;
      const variant = i % 2 === 0 ? "A" : "B";
      await recordComposition(archive, {
        customerId,
        runId: "run-2026-11",
        runDate: "2026-11-01",
        channels: ["email"],
        items: [{ offerId: "ev-night-tariff", experiment: { id: "ev-night-headline", variant }, channels: ["email"] }],
      });
      if (variant === "B" ? i < 8 : i === 0)
        await archive.recordResponses([
          {
            customerId,
            offerId: "ev-night-tariff",
            response: "accepted",
            channel: "email",
            at: "2026-11-05T10:00:00Z",
            source: "web-shop",
            sourceId: `order-${i}`,
          },
        ]);
    }
    await archive.close();
  });

  it("prints the counts per offer, channel and variant, and says the counts are too small to pick a winner", async () => {
    const r = await omnidoc(["stats", "--archive", url, "--from", "2026-11-01", "--to", "2026-11-30"]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const lines = r.stdout.trimEnd().split("\n");
    expect(cells(lines[1])).toEqual([
      "offer",
      "channel",
      "variant",
      "sent",
      "clicked",
      "accepted",
      "declined",
      "not-now",
      "click%",
      "accept%",
    ]);
    expect(lines.slice(3, 5).map(cells)).toEqual([
      ["ev-night-tariff", "email", "ev-night-headline/A", "6", "0", "1", "0", "0", "0.0%", "16.7%"],
      ["ev-night-tariff", "email", "ev-night-headline/B", "6", "0", "4", "0", "0", "0.0%", "66.7%"],
    ]);
    expect(r.stdout).toContain("judged on acceptance rate");
    expect(cells(lines.at(-1) as string)).toEqual([
      "ev-night-headline",
      "ev-night-tariff",
      "B 4/6 66.7%, A 1/6 16.7%",
      "too few sent or accepted to tell",
    ]);
  });

  it("gives the same figures as JSON, and refuses dates that are not dates or run backwards", async () => {
    const r = await omnidoc(["stats", "--archive", url, "--json"]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.experiments[0]).toMatchObject({ experimentId: "ev-night-headline", verdict: "too-few" });
    expect(json.offers).toHaveLength(2);
    expect((await omnidoc(["stats", "--archive", url, "--from", "November"])).code).toBe(2);
    const backwards = await omnidoc(["stats", "--archive", url, "--from", "2026-12-01", "--to", "2026-11-01"]);
    expect([backwards.code, backwards.stderr]).toEqual([2, "omnidoc: --from 2026-12-01 is after --to 2026-11-01\n"]);
    expect((await omnidoc(["stats", "--archive", url, "--to", "2026-10-31"])).stdout).toBe(
      "no offers sent or answered in this period\n",
    );
  });

  it("names the winner and the p-value when the counts tell", () => {
    const rows = [
      { variant: "A", sent: 1000, accepted: 90 },
      { variant: "B", sent: 1000, accepted: 120 },
    ].map(({ variant, sent, accepted }) => ({
      offerId: "ev-night-tariff",
      channel: "email",
      experiment: { id: "ev-night-headline", variant },
      sent,
      clicked: 0,
      accepted,
      declined: 0,
      notNow: 0,
    }));
    const text = formatStats(withRates(rows), experimentVerdicts(rows));
    expect(text.split("\n").at(-1)).toMatch(
      /B 120\/1000 12\.0%, A 90\/1000 9\.0%\s+B wins on acceptance rate \(p = 0\.029\)$/,
    );
  });
});
