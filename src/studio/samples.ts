import type { World } from "../core/index.ts";
import type { CustomerHistory } from "../decide/index.ts";
import { type Profile, parseProfileLine } from "../profile/index.ts";
import { loadSampleHistories } from "./sample-histories.ts";

/** A sample customer the studio offers by name, with why it is worth looking at. */
export interface Sample {
  id: string;
  /** Short label for the picker: `Cyrillic name`. */
  label: string;
  /** The customer as a person sees them in the list: `Mx Björn Иванов · en-GB`. */
  summary: string;
  profile: Profile;
}

export interface SampleSet {
  /** The hand-picked cases, in the order the picker shows them. */
  curated: Sample[];
  /** Every valid record of the samples file, by id. */
  all: ReadonlyMap<string, Profile>;
  /** What the relationship remembers of sample customers (sample-histories.ts), by id; absent: nothing. */
  histories: ReadonlyMap<string, CustomerHistory>;
}

const hasScript = (re: RegExp) => (p: Profile) => re.test(`${p.name.first} ${p.name.last}`);
const complained = (p: Profile) => p.interactions.some((i) => i.topic === "complaint");

/**
 * The cases a marketer checks before every run, each picked as the first record that shows it (so the list
 * follows the samples file instead of hard-coding ids). A record is used once.
 */
const CASES: {
  label: string;
  pick: (p: Profile, all: Profile[], histories: ReadonlyMap<string, CustomerHistory>) => boolean;
}[] = [
  {
    label: "Typical household",
    pick: (p) =>
      p.segment === "residential" &&
      p.locale === "en-GB" &&
      /^[\p{Script=Latin}\s'-]+$/u.test(`${p.name.first} ${p.name.last}`) &&
      p.preferences.marketingConsent &&
      !p.account.inArrears &&
      !complained(p),
  },
  { label: "Cyrillic name", pick: hasScript(/[\u0400-\u04FF]/) },
  { label: "Greek name", pick: hasScript(/[\u0370-\u03FF]/) },
  { label: "Vulnerable customer", pick: (p) => p.segment === "vulnerable" },
  // One the payment reminder is for (its audience): owing, in arrears, not collected by Direct Debit.
  {
    label: "In arrears",
    pick: (p) =>
      p.account.inArrears && p.account.balanceDue > 0 && !p.account.directDebit && p.segment !== "vulnerable",
  },
  {
    label: "Longest statement",
    pick: (p, all) => p.account.charges.length === Math.max(...all.map((c) => c.account.charges.length)),
  },
  { label: "French (fr-FR)", pick: (p) => p.locale === "fr-FR" },
  { label: "German (de-DE)", pick: (p) => p.locale === "de-DE" },
  { label: "In credit", pick: (p) => p.account.balanceDue < 0 },
  { label: "Small business", pick: (p) => p.segment === "small-business" },
  { label: "Recent complaint", pick: complained },
  { label: "No marketing consent", pick: (p) => !p.preferences.marketingConsent },
  { label: "No mobile (no SMS)", pick: (p) => !p.contact.mobile },
  { label: "No email address", pick: (p) => !p.contact.email },
  // The contact policy over history (samples/interactions.ndjson, samples/responses.ndjson).
  {
    label: "Complained by phone (history)",
    pick: (p, _, h) => h.get(p.id)?.interactions.some((i) => i.topic === "complaint") === true,
  },
  { label: "Opted out (history)", pick: (p, _, h) => (h.get(p.id)?.optOuts.length ?? 0) > 0 },
  {
    label: "Declined an offer (history)",
    pick: (p, _, h) => h.get(p.id)?.responses.some((r) => r.response === "declined") === true,
  },
];

/** Reads the samples file (NDJSON); records that fail the schema are skipped, as a batch run would reject them. */
export function loadSamples(
  world: World,
  path: string,
  histories: ReadonlyMap<string, CustomerHistory> = new Map(),
): SampleSet {
  const profiles: Profile[] = [];
  world
    .readText(path)
    .split("\n")
    .forEach((line, i) => {
      if (line.trim() === "") return;
      const r = parseProfileLine(line, i + 1);
      if (r.ok) profiles.push(r.value);
    });
  const used = new Set<string>();
  const curated: Sample[] = [];
  for (const c of CASES) {
    const p = profiles.find((x) => !used.has(x.id) && c.pick(x, profiles, histories));
    if (!p) continue;
    used.add(p.id);
    curated.push({ id: p.id, label: c.label, summary: summarise(p), profile: p });
  }
  return { curated, all: new Map(profiles.map((p) => [p.id, p])), histories };
}

/** Where the sample customers and their histories are read from, relative to the World's root. */
export interface SampleFiles {
  /** NDJSON of sample customers. */
  samples: string;
  /** Their interactions and responses (what the relationship remembers). */
  interactions: string;
  responses: string;
}

export const SAMPLE_FILES: SampleFiles = {
  samples: "samples/customers-200.ndjson",
  interactions: "samples/interactions.ndjson",
  responses: "samples/responses.ndjson",
};

/** The sample set with the histories its customers have: what the studio previews and a release is proofed on. */
export function loadSampleSet(world: World, files: Partial<SampleFiles> = {}): SampleSet {
  const histories = loadSampleHistories(
    world,
    files.interactions ?? SAMPLE_FILES.interactions,
    files.responses ?? SAMPLE_FILES.responses,
  );
  return loadSamples(world, files.samples ?? SAMPLE_FILES.samples, histories);
}

function summarise(p: Profile): string {
  const name = [p.name.title, p.name.first, p.name.last].filter(Boolean).join(" ");
  const charges = p.account.charges.length;
  return `${name} · ${p.locale} · ${p.segment} · ${charges} charge line${charges === 1 ? "" : "s"}`;
}
