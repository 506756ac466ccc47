import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Archive, openArchive } from "../../src/archive/index.ts";
import { postgresBackend, sqliteBackend } from "../archive/backends.ts";
import { omnidoc } from "../support/cli.ts";
import { generateLines } from "../support/customers.ts";
import { outputLines } from "../support/run-output.ts";

const TRACKED = /https:\/\/go\.northwind-energy\.example\/r\/([\w.-]+)/g;
const tokensIn = (text: string) => [...text.matchAll(TRACKED)].map((m) => m[1]);

describe.each([
  ["sqlite", sqliteBackend],
  ["postgres", postgresBackend],
])("omnidoc run --archive keeps each composition's decision of record: %s", (_name, makeBackend) => {
  const backend = makeBackend();
  const work = mkdtempSync(join(tmpdir(), "omnidoc-record-"));
  const out = join(work, "run");
  const url = backend.url(join(work, "blobs"));
  let archive: Archive;
  let composed: { id: string; offers: string[]; channels: string[] }[];

  beforeAll(async () => {
    const input = join(work, "customers.ndjson");
    writeFileSync(input, `${generateLines(12, "--seed", "18").join("\n")}\n`);
    const args = ["run", "--template", "energy-bill", "--date", "2026-11-01", "--input", input, "--out", out];
    const r = await omnidoc([...args, "--channels", "all", "--workers", "1", "--archive", url]);
    expect(r.code, r.stderr).toBe(0);
    const opened = await openArchive(url);
    if (!opened.ok) throw new Error(opened.problems[0].message);
    archive = opened.value;
    composed = outputLines(out, "manifest.ndjson").filter((e) => e.status === "composed") as typeof composed;
  }, 180_000);
  afterAll(async () => {
    await archive?.close();
    await backend.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  it("records, for every customer composed, the decision with its items in slot order and where each went", async () => {
    expect(composed.length).toBeGreaterThan(5);
    for (const e of composed) {
      const decisions = await archive.decisionsOfRecord(e.id);
      expect(decisions, e.id).toHaveLength(1);
      const [d] = decisions;
      expect(
        d.items.map((i) => i.offerId),
        e.id,
      ).toEqual(e.offers);
      expect(d.runDate).toBe("2026-11-01");
      expect(d.trace.length).toBeGreaterThan(0);
      // Each document lists exactly the items the decision of record says went out on its channel.
      for (const doc of await archive.list(e.id)) {
        const carried = d.items.filter((i) => i.channels.includes(doc.channel)).map((i) => i.offerId);
        expect(doc.offerIds, `${e.id} ${doc.channel}`).toEqual(carried);
        for (const i of d.items.filter((i) => i.channels.includes(doc.channel)))
          expect(i.documentIds).toContain(doc.id);
      }
    }
  });

  it("lists in each document only what it shows: the SMS its items' words, the email its items' links", async () => {
    let smsChecked = 0;
    for (const e of composed) {
      const [d] = await archive.decisionsOfRecord(e.id);
      for (const doc of await archive.list(e.id)) {
        const stored = await archive.get(doc.id);
        const text = Buffer.from(stored!.bytes).toString("utf8");
        if (doc.channel === "sms") {
          const sms = JSON.parse(text) as { text: string; offers: string[] };
          expect(doc.offerIds).toEqual(sms.offers);
          smsChecked++;
        }
        if (doc.channel === "email") {
          const html = readFileSync(join(out, "email", `${e.id}.html`), "utf8");
          const linked = new Set<string>();
          for (const token of tokensIn(html)) linked.add((await archive.resolveLink(token))!.offerId!);
          const withCta = d.items.filter((i) => i.target && doc.offerIds.includes(i.offerId)).map((i) => i.offerId);
          expect([...linked].sort()).toEqual(withCta.sort());
        }
      }
    }
    expect(smsChecked).toBeGreaterThan(0);
  });

  it("makes every tracked link in every document resolve to its customer, offer, channel, document and target", async () => {
    let resolved = 0;
    let unsubscribes = 0;
    for (const e of composed) {
      const [d] = await archive.decisionsOfRecord(e.id);
      for (const doc of await archive.list(e.id)) {
        // The email as sent is quoted-printable: its links are read from the HTML the run wrote beside it.
        const bytes =
          doc.channel === "email"
            ? readFileSync(join(out, "email", `${e.id}.html`), "utf8")
            : Buffer.from((await archive.get(doc.id))!.bytes).toString("latin1");
        const tokens = tokensIn(bytes);
        // An SMS may keep an offer's words and drop its link to meet the budget; paper and email never do.
        if (doc.channel !== "sms" && doc.offerIds.some((id) => d.items.find((i) => i.offerId === id)?.target))
          expect(tokens.length, `${e.id} ${doc.channel}`).toBeGreaterThan(0);
        for (const token of new Set(tokens)) {
          const link = await archive.resolveLink(token);
          expect(link, token).toMatchObject({ purpose: "offer", customerId: e.id, channel: doc.channel });
          expect(link?.documentId).toBe(doc.id);
          expect(link?.decisionId).toBe(d.id);
          const item = d.items.find((i) => i.offerId === link?.offerId);
          expect(link?.target).toBe(item?.target);
          expect(new URL(link!.target!).searchParams.get("utm_campaign")).toBe(item?.offerId);
          resolved++;
        }
        // The customer's id appears in no link a document carries.
        for (const m of bytes.matchAll(/https?:\/\/[^\s"'<>)]+/g)) expect(m[0]).not.toContain(e.id);
      }
      const eml = readFileSync(join(out, "email", `${e.id}.eml`), "latin1");
      // The header may be folded onto the next line.
      const unsubscribe = eml.match(/List-Unsubscribe:\s*<[^>]*[?&]t=([^>&]+)>/)?.[1];
      if (unsubscribe) {
        expect(await archive.resolveLink(decodeURIComponent(unsubscribe))).toMatchObject({
          purpose: "unsubscribe",
          customerId: e.id,
          channel: "email",
        });
        unsubscribes++;
      }
    }
    expect(resolved).toBeGreaterThan(composed.length);
    expect(unsubscribes).toBeGreaterThan(0);
  });
});
