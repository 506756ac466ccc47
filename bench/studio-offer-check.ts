/**
 * The offer editor's check of one keystroke: the edit written into the catalogue's text and loaded by the
 * catalogue loader, and the impact of the edit over the sample customers, against the loader alone on the
 * unedited text, measured in the same run. Run: npx tsx bench/studio-offer-check.ts [rounds]
 */
import "./signing-keys.ts";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ok } from "../src/core/index.ts";
import { parseCatalogue } from "../src/decide/index.ts";
import { buildEngine } from "../src/engine.ts";
import { nodeWorld } from "../src/node-world.ts";
import { decisionImpact } from "../src/releases/index.ts";
import { applyOfferEdit, readOffer } from "../src/studio/offer-yaml.ts";
import { draftEngine } from "../src/studio/offers.ts";
import { loadSampleSet } from "../src/studio/samples.ts";

const rounds = Number(process.argv[2] ?? 20);
const root = join(import.meta.dirname, "..");
const FILE = "samples/catalogue.yaml";
const text = readFileSync(join(root, FILE), "utf8");
const world = nodeWorld(root);
const built = await buildEngine(world);
if (!built.ok) throw new Error(JSON.stringify(built.problems));
const engine = built.value;
const samples = loadSampleSet(world, {});
const records = [...samples.all.values()].map((profile, i) => ({ line: i + 1, profile: ok(profile) }));
const form = readOffer(text, "smart-meter-upgrade")!;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = async (run: () => unknown) => {
  const t = performance.now();
  await run();
  return performance.now() - t;
};

const loader: number[] = [];
const check: number[] = [];
const impact: number[] = [];
for (let i = 0; i < rounds; i++) {
  // A different headline each round, as a person typing would make.
  const values = {
    ...form.values,
    "copy.en.headline": `${form.values["copy.en.headline"]} ${i}`,
    eligibility: "false",
  };
  loader.push(await time(() => parseCatalogue(FILE, text)));
  let edited = text;
  check.push(
    await time(() => {
      edited = applyOfferEdit(text, form.id, { values, channels: form.channels })!;
      return parseCatalogue(FILE, edited);
    }),
  );
  const draft = parseCatalogue(FILE, edited);
  if (!draft.ok) throw new Error(JSON.stringify(draft.problems));
  impact.push(
    await time(() =>
      decisionImpact(engine, draftEngine(engine, draft.value), "energy-bill", records, {
        runDate: "2026-11-01",
        histories: samples.histories,
      }),
    ),
  );
}
const m = (xs: number[]) => median(xs.slice(1)).toFixed(1);
console.log(
  `catalogue loader alone ${m(loader)} ms; edit written and loaded ${m(check)} ms; impact over ${records.length} sample customers ${m(impact)} ms (medians of ${rounds - 1} after a warm-up)`,
);
