import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Result } from "../../src/core/index.ts";
import { type Catalogue, parseCatalogue } from "../../src/decide/index.ts";
import { type Profile, validateProfile } from "../../src/profile/index.ts";

const SAMPLES = fileURLToPath(new URL("../../samples/", import.meta.url));

/** The sample extract's first records, validated: real profiles to vary one field at a time. */
export const SAMPLE_PROFILES: readonly Profile[] = readFileSync(`${SAMPLES}customers-200.ndjson`, "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .slice(0, 50)
  .map((l) => {
    const r = validateProfile(JSON.parse(l));
    if (!r.ok) throw new Error(`sample profile invalid: ${r.problems[0].message}`);
    return r.value;
  });

export const RUN_DATE = "2026-11-01";

/** A plain residential customer who consents to marketing and has no recent contact, changed by `edit`. */
export function customer(edit: (p: Profile) => void = () => {}): Profile {
  const p = structuredClone(SAMPLE_PROFILES[0]);
  p.id = "C9000001";
  p.segment = "residential";
  p.preferences = { channels: ["print", "email", "sms"], paperless: false, marketingConsent: true, language: "en" };
  p.products = [{ code: "ELEC-STD", name: "Standard Variable Electricity" }];
  p.interactions = [];
  p.tenureMonths = 24;
  p.account.inArrears = false;
  p.account.directDebit = true;
  edit(p);
  return p;
}

/** A catalogue from YAML items (indented as list entries under `items:`). */
export function catalogueFrom(itemsYaml: string, header = ""): Result<Catalogue> {
  return parseCatalogue("test.yaml", `${header}items:\n${itemsYaml}`);
}

export function mustLoad(itemsYaml: string, header = ""): Catalogue {
  const r = catalogueFrom(itemsYaml, header);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.at}: ${p.message}`).join("\n"));
  return r.value;
}

/** One catalogue item in YAML, with copy, overridable field by field (values are YAML text). */
export function item(id: string, fields: Record<string, string> = {}): string {
  const all: Record<string, string> = {
    kind: "service",
    slot: "secondary",
    priority: "50",
    eligibility: '"true"',
    channels: "[print, email]",
    marketing: "false",
    copy: `{ en: { headline: "${id} headline", body: "${id} body" } }`,
    ...fields,
  };
  return `  - id: ${id}\n${Object.entries(all)
    .map(([k, v]) => `    ${k}: ${v}\n`)
    .join("")}`;
}
