import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { Parser } from "htmlparser2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBatch } from "../../src/batch/index.ts";
import { type CatalogueItem, loadCatalogue } from "../../src/decide/index.ts";
import { nodeWorld } from "../../src/node-world.ts";
import { generateLines } from "../support/customers.ts";
import { outputLines } from "../support/run-output.ts";
import { BACKENDS, backendArchive } from "./relationship-support.ts";
import { KEYS, type Running, call, startServer } from "./support.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const CUSTOMERS = 1000;
const run = promisify(execFile);

/** Every way a hero item's copy can read, per item: headlines (any language, variant, channel) and SMS texts. */
function heroCopy(): Map<string, string[]> {
  const catalogue = loadCatalogue(nodeWorld(ROOT), "samples/catalogue.yaml");
  if (!catalogue.ok) throw new Error(catalogue.problems[0].message);
  const copies = (i: CatalogueItem) => [
    ...Object.values(i.copy),
    ...(i.experiment?.variants ?? []).flatMap((v) => Object.values(v.copy ?? {})),
  ];
  return new Map(
    catalogue.value.items
      .filter((i) => i.slot === "hero")
      .map((i) => [
        i.id,
        [
          ...new Set(
            copies(i)
              .flatMap((c) => [c?.headline, c?.print?.headline, c?.email?.headline, c?.sms])
              .filter((t): t is string => typeof t === "string")
              .map(flat),
          ),
        ],
      ]),
  );
}

const flat = (text: string) => text.replace(/\s+/g, " ").trim();

/** The text a reader sees in an email's HTML, entities decoded. */
function htmlText(html: string): string {
  let text = "";
  // Text arrives in pieces around entities (`Let`, `'`, `s`): only a tag separates words.
  const gap = () => {
    text += " ";
  };
  const p = new Parser(
    {
      ontext: (t) => {
        text += t;
      },
      onopentag: gap,
      onclosetag: gap,
    },
    { decodeEntities: true },
  );
  p.write(html);
  p.end();
  return text;
}

/** Runs `task` over `items`, `width` at a time. */
async function pooled<T, R>(items: readonly T[], width: number, task: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await task(items[i]);
      }
    }),
  );
  return out;
}

describe.each(BACKENDS)("offers now after a billing run of 1,000 customers: %s", (backend) => {
  const archive = backendArchive(backend, "offers-run");
  const work = mkdtempSync(join(tmpdir(), "omnidoc-offers-run-"));
  const out = join(work, "run");
  const url = archive.url ?? `sqlite:${join(work, "archive.db")}`;
  let s: Running;
  beforeAll(async () => {
    const input = join(work, "customers.ndjson");
    writeFileSync(input, `${generateLines(CUSTOMERS, "--seed", "18").join("\n")}\n`);
    const r = await runBatch({
      out,
      workers: 2,
      resume: false,
      root: ROOT,
      archiveUrl: url,
      settings: { template: "energy-bill", input, format: "ndjson", runDate: "2026-11-01", archive: true },
    });
    expect(r.complete).toBe(true);
    s = await startServer({ archiveUrl: url, now: () => new Date("2026-11-04T09:00:00.000Z") });
  }, 600_000);
  afterAll(async () => {
    await s?.close();
    await archive.drop();
    rmSync(work, { recursive: true, force: true });
  });

  it("answers for every customer exactly the hero offer their PDF, email and SMS showed", async () => {
    const copy = heroCopy();
    const shown = (text: string) =>
      [...copy].filter(([, texts]) => texts.some((t) => flat(text).includes(t))).map(([id]) => id);
    const sms = new Map(outputLines(out, "sms.ndjson").map((l) => [l.id as string, JSON.stringify(l)]));
    const composed = outputLines(out, "manifest.ndjson").filter((e) => e.status === "composed");
    expect(composed.length).toBeGreaterThan(CUSTOMERS * 0.9);

    const mismatches = await pooled(composed, 8, async (entry) => {
      const id = entry.id as string;
      const files = (entry.files as { path: string }[]).map((f) => f.path);
      const texts: Record<string, string> = {};
      if (files.includes(`pdf/${id}.pdf`))
        texts.pdf = (await run("pdftotext", [join(out, `pdf/${id}.pdf`), "-"], { encoding: "utf8" })).stdout;
      if (files.includes(`email/${id}.html`))
        texts.email = htmlText(readFileSync(join(out, `email/${id}.html`), "utf8"));
      if (sms.has(id)) texts.sms = sms.get(id) as string;

      const r = await call(s.base, `/v1/customers/${id}/offers`, { key: KEYS.archive });
      const body = await r.json();
      const heroes = body.offers.filter((o: { slot: string }) => o.slot === "hero");
      const hero = heroes[0]?.offerId;
      const wrong: string[] = [];
      if (r.status !== 200 || heroes.length > 1) wrong.push(`${id}: ${r.status}, ${heroes.length} heroes`);
      const showing = Object.entries(texts).filter(([, text]) => shown(text).length > 0);
      for (const [channel, text] of showing)
        if (shown(text).join() !== hero) wrong.push(`${id}: ${channel} shows ${shown(text)}, offers now ${hero}`);
      if (hero && showing.length === 0) wrong.push(`${id}: offers now ${hero}, which no document shows`);
      const carried = (heroes[0]?.documents ?? []).map((d: { channel: string }) => d.channel);
      for (const [channel] of showing)
        if (!carried.includes(channel)) wrong.push(`${id}: ${channel} shows ${hero}, not among its documents`);
      return wrong;
    });
    expect(mismatches.flat()).toEqual([]);

    // The call centre's load on the route alone: every customer once, 16 requests in flight.
    const started = performance.now();
    const ms = await pooled(composed, 16, async (entry) => {
      const t = performance.now();
      const r = await call(s.base, `/v1/customers/${entry.id}/offers`, { key: KEYS.archive });
      expect(r.status).toBe(200);
      await r.arrayBuffer();
      return performance.now() - t;
    });
    const seconds = (performance.now() - started) / 1000;
    ms.sort((a, b) => a - b);
    const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))].toFixed(1);
    console.info(
      `GET /v1/customers/:id/offers (${backend}), ${ms.length} customers, 16 in flight: ` +
        `${(ms.length / seconds).toFixed(0)}/s, p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms, load ${loadavg()[0].toFixed(1)}`,
    );
  }, 600_000);
});
