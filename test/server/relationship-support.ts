import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { Archive, DecisionInput, DocumentInput } from "../../src/archive/index.ts";

const POSTGRES = "postgres://postgres@127.0.0.1:5432/test";

/** Each archive backend a server test runs against: SQLite in a temporary folder, PostgreSQL in a schema of its own. */
export const BACKENDS = ["sqlite", "postgres"] as const;

/** An archive URL for the backend (undefined: the test server's own SQLite) and how to drop what it made. */
export function backendArchive(backend: (typeof BACKENDS)[number], name: string) {
  const blobs = mkdtempSync(join(tmpdir(), `omnidoc-${name}-blobs-`));
  const schema = `omnidoc_${name.replace(/-/g, "_")}_${process.pid}`;
  return {
    url: backend === "postgres" ? `${POSTGRES}?schema=${schema}&blobs=${blobs}` : undefined,
    async drop() {
      rmSync(blobs, { recursive: true, force: true });
      if (backend !== "postgres") return;
      const client = new pg.Client(POSTGRES);
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}

export interface Offered {
  offerId: string;
  kind?: string;
  slot?: string;
  marketing?: boolean;
  validFrom?: string;
  validTo?: string;
  experiment?: { id: string; variant: string };
  target?: string;
  /** Channels whose documents carry it (default pdf and email). */
  channels?: string[];
}

/**
 * A billing run's composition for one customer as the archive records it: a document per channel, each
 * listing the offers it carries, and the decision of record with its items and link tokens.
 */
export async function recordComposition(
  archive: Archive,
  o: {
    customerId: string;
    runId: string;
    runDate: string;
    items: Offered[];
    links?: DecisionInput["links"];
    channels?: string[];
  },
) {
  const channels = o.channels ?? ["pdf", "email", "sms"];
  const created = `${o.runDate}T00:00:00.000Z`;
  const docs: DocumentInput[] = channels.map((channel) => ({
    customerId: o.customerId,
    template: "energy-bill",
    templateVersion: "1.0.0",
    channel,
    runId: o.runId,
    created,
    offerIds: o.items.filter((i) => (i.channels ?? ["pdf", "email"]).includes(channel)).map((i) => i.offerId),
    contentType: "application/octet-stream",
    bytes: new TextEncoder().encode(`${o.customerId} ${o.runId} ${channel}`),
  }));
  const decision: DecisionInput = {
    customerId: o.customerId,
    runId: o.runId,
    template: "energy-bill",
    templateVersion: "1.0.0",
    runDate: o.runDate,
    created,
    items: o.items.map((i, position) => ({
      offerId: i.offerId,
      kind: i.kind ?? "offer",
      slot: i.slot ?? (position === 0 ? "hero" : "secondary"),
      priority: 50,
      marketing: i.marketing ?? true,
      ...(i.validFrom !== undefined && { validFrom: i.validFrom }),
      ...(i.validTo !== undefined && { validTo: i.validTo }),
      ...(i.experiment && { experiment: i.experiment }),
      ...(i.target !== undefined && { target: i.target }),
    })),
    trace: [],
    links: o.links ?? [],
  };
  const recorded = await archive.recordMany(docs, [], [decision]);
  return Object.fromEntries(recorded.map((d) => [d.channel, d.id]));
}
