import type { Archive } from "../../src/archive/index.ts";
import { problem, sha256Hex } from "../../src/core/index.ts";
import { listingHash } from "../../src/releases/content.ts";
import type { ProofSet, ReleaseContent, ReleaseStep } from "../../src/releases/types.ts";

/** Releases and proof sets made up for tests: real hashes over made-up bytes. */

const encode = (text: string) => new TextEncoder().encode(text);

/** A template's content; `variant` changes the statement, so each variant is a release of its own. */
export function content(template = "energy-bill", variant = "1"): ReleaseContent {
  const files = [
    [`templates/${template}/template.yaml`, `id: ${template}\nversion: 1.${variant}.0\n`],
    [`templates/${template}/statement.hbs`, `<h1>Your bill</h1> <!-- ${variant} -->`],
    ["catalogue.yaml", "offers: []\n"],
    ["theme.yaml", "colours: { brand: '#0a5' }\n"],
  ].map(([path, text]) => ({ path, sha256: sha256Hex(encode(text)), bytes: encode(text) }));
  return { template, hash: listingHash(files), files };
}

/** Two sample customers, a PDF each and one email, with a problem: what a proposal freezes. */
export function proof(seed = "1"): ProofSet {
  const documents = [
    { customerId: "C0000001", label: "Plain", channel: "pdf" as const, ext: "pdf", type: "application/pdf", pages: 2 },
    { customerId: "C0000001", label: "Plain", channel: "email" as const, ext: "eml", type: "message/rfc822" },
    {
      customerId: "C0000002",
      label: "Cyrillic name",
      channel: "pdf" as const,
      ext: "pdf",
      type: "application/pdf",
      pages: 3,
    },
  ].map(({ ext, type, ...d }) => {
    const bytes = encode(`${d.customerId} ${d.channel} proof ${seed}`);
    return { ...d, path: `${d.customerId}/${d.channel}.${ext}`, contentType: type, sha256: sha256Hex(bytes), bytes };
  });
  const problems = [problem("OMD_PROFILE_FIELD_MISSING", "no mobile number for the SMS", "C0000002")];
  return { hash: listingHash(documents), runDate: "2026-11-01", documents, problems };
}

export const step = (
  action: ReleaseStep["action"],
  from: ReleaseStep["from"],
  to: ReleaseStep["to"],
  by: string,
  at: string,
  extra: Partial<ReleaseStep> = {},
): ReleaseStep => ({ action, from, to, by, at, ...extra });

/** Saves `c` proposed by ada and approved by grace, who saw its proof set `p`: four eyes, ready to publish. */
export async function approveRelease(archive: Archive, c: ReleaseContent, p: ProofSet, templateVersion = "1.0.0") {
  await archive.saveRelease(
    { id: c.hash, template: c.template, templateVersion },
    c,
    step("propose", null, "review", "ada", "2026-11-02T09:00:00Z"),
    p,
  );
  await archive.moveRelease(
    c.hash,
    ["review"],
    step("approve", "review", "approved", "grace", "2026-11-02T10:00:00Z", { seen: p.hash }),
  );
}

/** Approved as `approveRelease` does, then published by grace. */
export async function publishRelease(archive: Archive, c: ReleaseContent, p: ProofSet, templateVersion = "1.0.0") {
  await approveRelease(archive, c, p, templateVersion);
  const r = await archive.publishRelease(
    c.hash,
    ["approved"],
    step("publish", "approved", "released", "grace", "2026-11-02T11:00:00Z"),
  );
  if (!r.published) throw new Error(`release ${c.hash} was not published`);
}
