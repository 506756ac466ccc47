import { type Problem, problem, sha256Hex } from "../core/index.ts";
import { type Composition, compose } from "../compose.ts";
import type { Engine } from "../engine.ts";
import type { SampleSet } from "../studio/samples.ts";
import type { ChannelName } from "../templates/index.ts";
import { listingHash } from "./content.ts";
import type { ProofDocument, ProofSet } from "./types.ts";

/** How each channel's document is kept in a proof folder. */
const FORMS: Record<ChannelName, { extension: string; contentType: string; bytes: (c: Composition) => Uint8Array }> = {
  pdf: { extension: "pdf", contentType: "application/pdf", bytes: (c) => c.pdf?.bytes ?? new Uint8Array() },
  email: { extension: "eml", contentType: "message/rfc822", bytes: (c) => c.email?.eml ?? new Uint8Array() },
  sms: {
    extension: "txt",
    contentType: "text/plain; charset=utf-8",
    bytes: (c) => Buffer.from(c.sms?.text ?? "", "utf8"),
  },
};

/**
 * Every channel of the template for every curated sample customer, composed on `runDate` with the customer's
 * sample history, as the studio previews them: what a reviewer approves. A customer outside the template's
 * audience, or a channel a customer cannot get (no mobile), is a problem of the set, not a document. The same
 * engine, template, date and samples give the same bytes and hash.
 */
export async function renderProofSet(
  engine: Engine,
  template: string,
  runDate: string,
  samples: Pick<SampleSet, "curated" | "histories">,
): Promise<ProofSet> {
  const compiled = engine.templates.get(template);
  if (!compiled) {
    const known = [...engine.templates.keys()].join(", ");
    const missing = problem("OMD_TEMPLATE_NOT_FOUND", `no template "${template}"`, undefined, `loaded: ${known}`);
    return { hash: listingHash([]), runDate, documents: [], problems: [missing] };
  }
  const channels = Object.keys(compiled.channels) as ChannelName[];
  const documents: ProofDocument[] = [];
  const problems: Problem[] = [];
  for (const sample of samples.curated) {
    const history = samples.histories.get(sample.id);
    const r = await compose(engine, sample.profile, { template, runDate, channels, history });
    const named = (p: Problem) => ({ ...p, message: `${sample.label} (${sample.id}): ${p.message}` });
    problems.push(...(r.ok ? r.value.problems : r.problems).map(named));
    if (!r.ok) continue;
    for (const channel of channels) {
      if (r.value[channel] === undefined) continue;
      const form = FORMS[channel];
      const bytes = form.bytes(r.value);
      documents.push({
        customerId: sample.id,
        label: sample.label,
        channel,
        path: `${sample.id}/${channel}.${form.extension}`,
        contentType: form.contentType,
        sha256: sha256Hex(bytes),
        bytes,
        ...(channel === "pdf" && r.value.pdf ? { pages: r.value.pdf.pages } : {}),
      });
    }
  }
  return { hash: listingHash(documents), runDate, documents, problems };
}
