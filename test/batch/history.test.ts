import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Archive, openArchive } from "../../src/archive/index.ts";
import { withHistories } from "../../src/batch/histories.ts";
import { type RunSettings, runBatch } from "../../src/batch/index.ts";
import { readRecords } from "../../src/batch/source.ts";
import { loadCatalogue } from "../../src/decide/index.ts";
import { nodeWorld } from "../../src/node-world.ts";
import { type Backend, postgresBackend, sqliteBackend } from "../archive/backends.ts";
import { generateLines } from "../support/customers.ts";
import { outputLines } from "../support/run-output.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const work = mkdtempSync(join(tmpdir(), "omnidoc-history-run-"));
const INPUT = join(work, "customers.ndjson");
const RUN_DATE = "2026-11-01";
afterAll(() => rmSync(work, { recursive: true, force: true }));

const catalogue = loadCatalogue(nodeWorld(ROOT), join(ROOT, "samples/catalogue.yaml"));
if (!catalogue.ok) throw new Error("the sample catalogue does not load");
const SALES = new Set(catalogue.value.items.filter((i) => i.kind === "offer").map((i) => i.id));

const run = (out: string, over: Partial<RunSettings> = {}, archiveUrl?: string) =>
  runBatch({
    out,
    workers: 1,
    resume: false,
    root: ROOT,
    archiveUrl,
    settings: {
      template: "energy-bill",
      input: INPUT,
      format: "ndjson",
      runDate: RUN_DATE,
      channels: ["sms"],
      archive: false,
      ...over,
    },
  });

type Entry = { id: string; offers: string[] };
const offersById = (out: string) =>
  new Map((outputLines(out, "manifest.ndjson") as Entry[]).map((e) => [e.id, e.offers]));

let baseline: Map<string, string[]>;
beforeAll(async () => {
  writeFileSync(INPUT, `${generateLines(24).join("\n")}\n`);
  const out = join(work, "baseline");
  expect((await run(out)).complete).toBe(true);
  baseline = offersById(out);
}, 120_000);

describe.each([
  ["sqlite", sqliteBackend],
  ["postgres", postgresBackend],
] as const)("a billing run with an archive reads the history (%s)", (name, backendOf) => {
  let backend: Backend;
  let url: string;
  let archive: Archive;
  beforeAll(async () => {
    backend = backendOf();
    url = backend.url(join(work, `blobs-${name}`));
    const opened = await openArchive(url);
    if (!opened.ok) throw new Error(opened.problems[0].message);
    archive = opened.value;
  });
  afterAll(async () => {
    await archive?.close();
    await backend?.cleanup();
  });

  it("honours a complaint the call centre recorded that the extract does not carry", async () => {
    const [complainer] = [...baseline].find(([, offers]) => offers.some((o) => SALES.has(o))) ?? [];
    if (!complainer) throw new Error("no sample customer gets a sales offer");
    await archive.recordInteractions([
      {
        customerId: complainer,
        source: "genesys",
        sourceId: `call-${complainer}`,
        at: "2026-10-25T16:05:00Z",
        channel: "call-centre",
        topic: "complaint",
      },
    ]);
    const out = join(work, `archived-${name}`);
    expect((await run(out, { archive: true }, url)).complete).toBe(true);
    const offers = offersById(out);
    expect(offers.get(complainer)?.filter((o) => SALES.has(o))).toEqual([]);
    // Eligibility reads it too: the care message for recent complainers goes out instead.
    expect(offers.get(complainer)).toContain("complaint-care");
    expect(baseline.get(complainer)).not.toContain("complaint-care");
    // The history the run decided on is kept with the run: only customers with some history take a line.
    const kept = readFileSync(join(out, "history/000001.ndjson"), "utf8").trim().split("\n");
    expect(kept.map((l) => JSON.parse(l).id)).toEqual([complainer]);
  }, 120_000);

  it("reads each chunk's histories once: a later attempt decides on what the first one read", async () => {
    const out = join(work, `archived-${name}`);
    const customers = [...baseline.keys()];
    const late = customers[customers.length - 1];
    await archive.recordResponses([
      { customerId: late, response: "opted-out", at: "2026-10-30T08:00:00Z", source: "unsubscribe", sourceId: "u-1" },
    ]);
    const read = async (folder: string) => {
      const byId = new Map<string, { optOuts: readonly unknown[] }>();
      const records = readRecords(createReadStream(INPUT), "ndjson");
      for await (const { rec, history } of withHistories(records, {
        out: folder,
        runId: "another-attempt",
        runDate: RUN_DATE,
        source: archive,
      }))
        byId.set(rec.id() ?? "", history);
      return byId;
    };
    // A fresh folder reads the archive as it is now; the run's folder keeps what the run read.
    expect((await read(join(work, `fresh-${name}`))).get(late)?.optOuts).toHaveLength(1);
    const again = await read(out);
    expect(again.get(late)?.optOuts).toHaveLength(0);
    expect(again.size).toBe(customers.length);
  }, 60_000);
});
