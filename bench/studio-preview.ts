/**
 * Studio preview refresh for the energy bill: the time from the page's request to every PDF page image
 * received (what a person waits for after a keystroke), against compose alone with the same three channels
 * in the same process, measured in the same run. Run: npx tsx bench/studio-preview.ts [rounds]
 */
import "./signing-keys.ts";
import { compose } from "../src/compose.ts";
import { signIn, startStudio } from "../test/studio/harness.ts";

const rounds = Number(process.argv[2] ?? 10);
const h = await startStudio();
const cookie = (await signIn(h)).cookie!;
const engine = h.studio.live.current().engine!;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const label of ["Typical household", "Longest statement"]) {
  const sample = h.studio.samples.curated.find((s) => s.label === label)!;
  const composeMs: number[] = [];
  const refreshMs: number[] = [];
  let pages = 0;
  for (let i = 0; i < rounds; i++) {
    // A different run date each round: nothing is served from a cache the person would not have.
    const runDate = `2026-11-${String(1 + i).padStart(2, "0")}`;
    let t = performance.now();
    await compose(engine, sample.profile, { template: "energy-bill", runDate, channels: ["pdf", "email", "sms"] });
    composeMs.push(performance.now() - t);
    t = performance.now();
    const body = JSON.stringify({
      template: "energy-bill",
      runDate,
      profileText: JSON.stringify({ ...sample.profile, tenureMonths: sample.profile.tenureMonths + i + 1 }),
    });
    const res = await fetch(`${h.base}api/preview`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body,
    });
    const preview = await res.json();
    await Promise.all(
      preview.pdf.pageUrls.map(async (u: string) =>
        (await fetch(`${h.base}${u}`, { headers: { cookie } })).arrayBuffer(),
      ),
    );
    refreshMs.push(performance.now() - t);
    pages = preview.pdf.pages;
  }
  const c = median(composeMs.slice(1));
  const r = median(refreshMs.slice(1));
  console.log(
    `${label} (${pages} pages): compose ${c.toFixed(0)} ms, studio refresh ${r.toFixed(0)} ms (median of ${rounds - 1} after a warm-up), ratio ${(r / c).toFixed(2)}`,
  );
}
await h.close();
