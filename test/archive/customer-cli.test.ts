import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openArchive } from "../../src/archive/index.ts";
import { omnidoc } from "../support/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "omnidoc-customer-"));
const url = `sqlite:${join(dir, "archive.db")}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...args: string[]): Promise<string> {
  const r = await omnidoc(["customer", ...args]);
  expect([r.code, r.stderr]).toEqual([0, ""]);
  return r.stdout;
}

describe("omnidoc customer", () => {
  it("prints the customer's documents newest first as a table", async () => {
    const opened = await openArchive(url);
    if (!opened.ok) throw new Error("archive did not open");
    const base = { customerId: "C0000001", template: "energy-bill", templateVersion: "1.2.0", runId: "nov" };
    const [pdf, sms] = await opened.value.recordMany([
      {
        ...base,
        channel: "pdf",
        created: "2026-11-01T06:00:00Z",
        offerIds: ["solar-export", "ev-tariff"],
        contentType: "application/pdf",
        bytes: new Uint8Array(2048),
      },
      {
        ...base,
        channel: "sms",
        created: "2026-11-02T09:30:00Z",
        offerIds: [],
        contentType: "application/json",
        bytes: new Uint8Array(120),
      },
    ]);
    await opened.value.close();

    const lines = (await run("C0000001", "--archive", url)).trimEnd().split("\n");
    expect(lines[0]).toBe("C0000001: 2 documents");
    expect(lines[1].split(/\s{2,}/)).toEqual(["date", "channel", "template", "offers", "size", "document"]);
    expect(lines[3].split(/\s{2,}/)).toEqual(["2026-11-02 09:30", "sms", "energy-bill@1.2.0", "-", "120 B", sms.id]);
    expect(lines[4].split(/\s{2,}/)).toEqual([
      "2026-11-01 06:00",
      "pdf",
      "energy-bill@1.2.0",
      "solar-export, ev-tariff",
      "2.0 KB",
      pdf.id,
    ]);
  });

  it("prints who read or wrote the customer's documents with --audit, newest first", async () => {
    const opened = await openArchive(url);
    if (!opened.ok) throw new Error("archive did not open");
    const route = "GET /v1/customers/:id/documents";
    await opened.value.audit([
      { at: "2026-11-03T08:15:00.000Z", keyName: "agent-desk", route, customerId: "C0000002", action: "read" },
      {
        at: "2026-11-03T08:16:30.000Z",
        keyName: "agent-desk",
        route: "GET /v1/documents/:id",
        customerId: "C0000002",
        action: "read",
        documentId: "d".repeat(32),
      },
    ]);
    await opened.value.close();
    const lines = (await run("C0000002", "--audit", "--archive", url)).trimEnd().split("\n");
    expect(lines[0]).toBe("C0000002: 2 audit entries");
    expect(lines[1].split(/\s{2,}/)).toEqual(["time", "key", "action", "route", "document"]);
    expect(lines[3].split(/\s{2,}/)).toEqual([
      "2026-11-03 08:16:30",
      "agent-desk",
      "read",
      "GET /v1/documents/:id",
      "d".repeat(32),
    ]);
    expect(lines[4].split(/\s{2,}/)).toEqual(["2026-11-03 08:15:00", "agent-desk", "read", route, "-"]);
    expect(await run("C7654321", "--audit", "--archive", url)).toBe("no audit entries for C7654321\n");
  });

  it("says so when the customer has no documents", async () => {
    expect(await run("C7654321", "--archive", url)).toBe("no archived documents for C7654321\n");
  });
});
