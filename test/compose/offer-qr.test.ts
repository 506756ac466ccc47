import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { buildEngine, compose, nodeWorld } from "../../src/index.ts";
import { sampleProfiles } from "../support/pdf-views.ts";
import { decodeQr, pageToPng, scratchDir } from "../support/pdf-render.ts";

it("prints a QR code to the tracked link of every chosen item the catalogue marks `qr`", async () => {
  const engine = await buildEngine(nodeWorld());
  if (!engine.ok) throw new Error(JSON.stringify(engine.problems));
  const dir = scratchDir("offer-qr");
  let checked = 0;
  for (const profile of sampleProfiles().slice(0, 40)) {
    const r = await compose(engine.value, profile, {
      template: "energy-bill",
      channels: ["pdf"],
      runDate: "2026-11-01",
    });
    if (!r.ok || !r.value.pdf) throw new Error(JSON.stringify(r));
    const { offers } = r.value.view;
    const withQr = [offers.hero, ...offers.secondary, ...offers.notices].filter(
      (i) => i?.qr && i.cta && i.channels.includes("print"),
    );
    if (withQr.length === 0) continue;
    const file = join(dir, `${profile.id}.pdf`);
    writeFileSync(file, r.value.pdf.bytes);
    const codes = Array.from({ length: r.value.pdf.pages }, (_, p) => decodeQr(pageToPng(file, p + 1, 150))).flat();
    for (const item of withQr) expect(codes, profile.id).toContain(item?.cta?.links.pdf.url);
    if (++checked === 3) break;
  }
  expect(checked).toBe(3);
});
