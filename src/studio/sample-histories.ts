import type { World } from "../core/index.ts";
import type { CustomerHistory, HistoryInteraction, OfferResponse, OptOut } from "../decide/index.ts";
import { parseInteractionLine } from "../interactions/index.ts";

/** A response line of the sample set, as `POST /v1/customers/{id}/responses` takes one: an opt-out has no offer. */
interface SampleResponse {
  customerId: string;
  offerId?: string;
  response: OfferResponse["response"] | "opted-out";
  at: string;
  source: string;
  sourceId: string;
  channel?: string;
}

const RESPONSES = new Set(["clicked", "accepted", "declined", "not-now", "opted-out"]);

/**
 * The sample customers' histories, so the studio's preview decides as a run with an archive would and a
 * marketer sees the contact policy's rules over history fire in the trace: interactions from
 * `samples/interactions.ndjson` (the file `omnidoc interactions import` loads) and responses and opt-outs from
 * `samples/responses.ndjson`, newest first. A line that does not read is left out, as the sample customers are.
 * The studio has no decisions of record: its histories hold no past offers.
 */
export function loadSampleHistories(
  world: World,
  interactionsPath: string,
  responsesPath: string,
): ReadonlyMap<string, CustomerHistory> {
  const byId = new Map<string, { interactions: HistoryInteraction[]; responses: OfferResponse[]; optOuts: OptOut[] }>();
  const of = (id: string) => {
    const h = byId.get(id) ?? { interactions: [], responses: [], optOuts: [] };
    byId.set(id, h);
    return h;
  };
  for (const [i, line] of lines(world, interactionsPath)) {
    const r = parseInteractionLine(line, i + 1);
    if (!r.ok) continue;
    const { customerId, source, sourceId, channel, topic, outcome } = r.value;
    of(customerId).interactions.push({
      at: utc(r.value.at),
      source,
      sourceId,
      channel,
      topic,
      ...(outcome && { outcome }),
    });
  }
  for (const [, line] of lines(world, responsesPath)) {
    const r = sampleResponse(line);
    if (!r) continue;
    const { at, source, sourceId } = { ...r, at: utc(r.at) };
    if (r.response === "opted-out") of(r.customerId).optOuts.push({ at, source, sourceId });
    else if (r.offerId)
      of(r.customerId).responses.push({
        at,
        offerId: r.offerId,
        response: r.response,
        source,
        sourceId,
        ...(r.channel && { channel: r.channel }),
      });
  }
  const newestFirst = (a: { at: string }, b: { at: string }) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0);
  return new Map(
    [...byId].map(([id, h]) => [
      id,
      {
        interactions: h.interactions.sort(newestFirst),
        responses: h.responses.sort(newestFirst),
        offers: [],
        optOuts: h.optOuts.sort(newestFirst),
      },
    ]),
  );
}

/** The file's non-empty lines with their index; a sample set without the file has no such history. */
function lines(world: World, path: string): [number, string][] {
  let text: string;
  try {
    text = world.readText(path);
  } catch {
    return [];
  }
  return [...text.split("\n").entries()].filter(([, l]) => l.trim() !== "");
}

function sampleResponse(line: string): SampleResponse | undefined {
  try {
    const r = JSON.parse(line) as SampleResponse;
    const text = (v: unknown) => typeof v === "string" && v !== "";
    if (!text(r.customerId) || !text(r.source) || !text(r.sourceId) || !RESPONSES.has(r.response)) return undefined;
    if (Number.isNaN(Date.parse(r.at)) || (r.response !== "opted-out" && !text(r.offerId))) return undefined;
    return r;
  } catch {
    return undefined;
  }
}

function utc(at: string): string {
  return new Date(at).toISOString();
}
