/** What the archive benches seed for an earlier statement: its decision of record, the offers it showed. */
import type { DecisionInput } from "../src/archive/index.ts";
import type { CatalogueItem } from "../src/decide/index.ts";

export interface StatementOfRecord {
  customerId: string;
  runId: string;
  runDate: string;
  created: string;
}

/** The energy-bill decision that showed `shown`, in that order, with no trace and no links. */
export function decisionOfRecord(statement: StatementOfRecord, shown: readonly CatalogueItem[]): DecisionInput {
  return {
    ...statement,
    template: "energy-bill",
    templateVersion: "1",
    items: shown.map((o) => ({
      offerId: o.id,
      kind: o.kind,
      slot: o.slot,
      priority: o.priority,
      marketing: o.marketing,
    })),
    trace: [],
    links: [],
  };
}
