import { type Problem, type Result, type World, fail, ok, parseYaml, problem, schemaProblem } from "../core/index.ts";
import type { Channel, Language } from "../profile/index.ts";
import { checkCatalogue } from "./catalogue-schema.ts";
import { ExpressionCompiler } from "./expression.ts";
import { Facts, domainFunctions } from "./functions.ts";
import { decisionOf } from "./generate.ts";
import { type CompiledEntry, freezeCatalogue } from "./plan.ts";
import { PROFILE_FIELDS } from "./profile-fields.ts";
import { type TriggerSource, loadTriggers, timeZoneProblems } from "./triggers.ts";
import type { Catalogue, CatalogueItem, ContactPolicy, Copy, ItemKind, SlotName } from "./types.ts";

/** An item exactly as the catalogue file writes it (after the schema check). */
interface ItemSource {
  id: string;
  kind: ItemKind;
  slot: SlotName;
  priority: number;
  eligibility: string;
  valid?: { from?: string; to?: string };
  channels: Channel[];
  marketing: boolean;
  product?: string;
  group?: string;
  cap?: number;
  qr?: boolean;
  experiment?: {
    id: string;
    variants: { id: string; weight: number; copy?: Partial<Record<Language, Partial<Copy>>> }[];
  };
  copy: Partial<Record<Language, Copy>>;
}

interface CatalogueSource {
  policy?: Partial<ContactPolicy>;
  timeZone?: string;
  triggers?: TriggerSource[];
  items: ItemSource[];
}

/** The contact policy of a catalogue that says nothing of it. */
const DEFAULT_POLICY: ContactPolicy = { complaintWindowDays: 30, declinedWindowDays: 90, notNowDays: 30, spacing: [] };

/** The zone of customers nothing else places: the catalogue's `timeZone` overrides it. */
const DEFAULT_TIME_ZONE = "Europe/London";

/**
 * `holds("CODE")` in an eligibility expression: its code gets a bit in the facts, so the call tests a bit instead of
 * searching the customer's products. Text that only looks like such a call gives a code a bit it does not need; a
 * call written otherwise searches the products, as every call did before.
 */
const HOLDS_CALL = /\bholds\(\s*"([^"\\]*)"\s*\)/g;

/** Reads, checks and compiles a catalogue once; every problem carries `file:line:column`. */
export function loadCatalogue(world: World, file: string): Result<Catalogue> {
  let text: string;
  try {
    text = world.readText(file);
  } catch (err) {
    return fail(problem("OMD_CATALOGUE_UNREADABLE", `cannot read the catalogue: ${(err as Error).message}`, file));
  }
  return parseCatalogue(file, text);
}

/** The same from text already in memory (the studio's editor, tests); `file` names it in problems. */
export function parseCatalogue(file: string, text: string): Result<Catalogue> {
  const parsed = parseYaml(file, text, "OMD_CATALOGUE_SYNTAX");
  if (!parsed.ok) return parsed;
  const { value: source, locate } = parsed.value;
  if (!checkCatalogue(source))
    return fail(
      ...(checkCatalogue.errors ?? []).map((e) => schemaProblem("OMD_CATALOGUE_SYNTAX", e, locate, "the catalogue")),
    );
  const data = source as unknown as CatalogueSource;

  // The products items sell, then those eligibility asks about: each gets a bit the customer's holdings are read into.
  const facts = new Facts([
    ...data.items.flatMap((item) => item.product ?? []),
    ...data.items.flatMap((item) => [...item.eligibility.matchAll(HOLDS_CALL)].map((m) => m[1])),
  ]);
  const compiler = new ExpressionCompiler(PROFILE_FIELDS, domainFunctions(facts));
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  const compiled: (CompiledEntry & { index: number })[] = [];
  data.items.forEach((src, index) => {
    const at = (...path: (string | number)[]) => locate.node(["items", index, ...path]);
    const first = seen.get(src.id);
    if (first !== undefined) {
      problems.push(
        problem("OMD_CATALOGUE_DUPLICATE_ID", `item id "${src.id}" is already used by item ${first + 1}`, at("id")),
      );
    }
    seen.set(src.id, index);
    for (const [where, message] of meaningProblems(src)) {
      problems.push(problem("OMD_CATALOGUE_SYNTAX", `item "${src.id}": ${message}`, at(...where)));
    }
    const result = compiler.compile(src.eligibility);
    if (!result.ok) {
      for (const e of result.errors) {
        problems.push(
          problem(
            e.code,
            `item "${src.id}": ${e.message}`,
            locate.inScalar(["items", index, "eligibility"], e.offset),
            e.hint,
          ),
        );
      }
      return;
    }
    compiled.push({ index, item: toItem(src), test: result.test, node: result.node, library: result.library });
  });
  const policy: ContactPolicy = { ...DEFAULT_POLICY, ...data.policy };
  problems.push(...policyProblems(policy, data.items, (...path) => locate.node(["policy", ...path])));
  const node = (path: readonly (string | number)[]) => locate.node(path);
  const { triggers, problems: triggerProblems } = loadTriggers(data.triggers ?? [], node);
  problems.push(...triggerProblems, ...timeZoneProblems(data.timeZone, node));
  if (problems.length > 0) return fail(...problems);

  compiled.sort(
    (a, b) =>
      Number(b.item.kind === "regulatory") - Number(a.item.kind === "regulatory") ||
      b.item.priority - a.item.priority ||
      a.index - b.index,
  );
  return ok(
    freezeCatalogue(
      file,
      policy,
      facts,
      compiled,
      { triggers, timeZone: data.timeZone ?? DEFAULT_TIME_ZONE },
      decisionOf,
    ),
  );
}

function toItem(src: ItemSource): CatalogueItem {
  const item: CatalogueItem = {
    id: src.id,
    kind: src.kind,
    slot: src.slot,
    priority: src.priority,
    eligibility: src.eligibility,
    valid: { ...src.valid },
    channels: src.channels,
    marketing: src.marketing,
    qr: src.qr ?? false,
    copy: src.copy,
  };
  if (src.product !== undefined) item.product = src.product;
  if (src.group !== undefined) item.group = src.group;
  if (src.cap !== undefined) item.cap = src.cap;
  if (src.experiment) {
    item.experiment = {
      id: src.experiment.id,
      variants: src.experiment.variants,
    };
  }
  return item;
}

/** The policy's rules name items of this catalogue, and never hold back a regulatory notice. */
function policyProblems(
  policy: ContactPolicy,
  items: readonly ItemSource[],
  at: (...path: (string | number)[]) => string,
): Problem[] {
  const kinds = new Map(items.map((i) => [i.id, i.kind]));
  const out: Problem[] = [];
  policy.spacing.forEach((rule, index) => {
    for (const field of ["after", "offer"] as const) {
      const kind = kinds.get(rule[field]);
      if (kind === undefined)
        out.push(
          problem(
            "OMD_CATALOGUE_POLICY",
            `policy.spacing[${index}].${field}: no item "${rule[field]}" in the catalogue`,
            at("spacing", index, field),
            `items: ${[...kinds.keys()].join(", ")}`,
          ),
        );
      else if (field === "offer" && kind === "regulatory")
        out.push(
          problem(
            "OMD_CATALOGUE_POLICY",
            `policy.spacing[${index}].offer: "${rule.offer}" is a regulatory notice, which goes to everyone it applies to`,
            at("spacing", index, field),
          ),
        );
    }
  });
  return out;
}

/** Rules the schema cannot state: each as the path inside the item and a message. */
function meaningProblems(src: ItemSource): [(string | number)[], string][] {
  const out: [(string | number)[], string][] = [];
  if (src.kind === "regulatory") {
    if (src.marketing) out.push([["marketing"], "a regulatory notice is never marketing"]);
    if (src.cap !== undefined) out.push([["cap"], "a regulatory notice goes to everyone it applies to: no cap"]);
    if (src.experiment) out.push([["experiment"], "the wording of a regulatory notice is not split-tested"]);
  }
  if (src.valid?.from && src.valid.to && src.valid.from > src.valid.to) {
    out.push([["valid"], `valid.from ${src.valid.from} is after valid.to ${src.valid.to}`]);
  }
  const bySms = src.channels.includes("sms");
  for (const [language, copy] of Object.entries(src.copy)) {
    if (bySms && copy.sms === undefined)
      out.push([["copy", language], `goes by sms but has no sms text in "${language}"`]);
    for (const channel of ["sms", "print", "email"] as const) {
      if (!src.channels.includes(channel) && copy[channel] !== undefined)
        out.push([["copy", language, channel], `has ${channel} copy but ${channel} is not one of its channels`]);
    }
  }
  const variantIds = new Set<string>();
  for (const [v, variant] of (src.experiment?.variants ?? []).entries()) {
    if (variantIds.has(variant.id))
      out.push([["experiment", "variants", v, "id"], `variant "${variant.id}" appears twice`]);
    variantIds.add(variant.id);
    for (const language of Object.keys(variant.copy ?? {})) {
      if (!(language in src.copy))
        out.push([["experiment", "variants", v, "copy", language], `no base copy in "${language}" to vary`]);
    }
  }
  return out;
}
