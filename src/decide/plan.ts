import type { Language, Profile } from "../profile/index.ts";
import type { CompiledExpression } from "./expression.ts";
import type { Facts } from "./functions.ts";
import { channelBit } from "./channels.ts";
import { type PolicyRule, PolicySubject, type PolicyTarget } from "./policy.ts";
import type {
  Catalogue,
  CatalogueItem,
  ChosenItem,
  ContactPolicy,
  Copy,
  DecideOptions,
  Decision,
  SlotDecision,
  SlotName,
  TraceEntry,
  Variant,
} from "./types.ts";
import { SLOT_CAPACITY } from "./types.ts";

/**
 * What a loaded catalogue compiles to: per item its eligibility function and every trace entry and chosen
 * item it can produce, built once, frozen and shared by all decisions, so deciding allocates little.
 */

export type StaticRule = "validity" | PolicyRule | "eligibility" | "slot-full";

const LANGUAGES: readonly Language[] = ["en", "fr", "de"];

/** A language's index in LANGUAGES (en for any other), without a keyed look-up per customer. */
export function languageIndex(language: string): number {
  switch (language) {
    case "fr":
      return 1;
    case "de":
      return 2;
    default:
      return 0;
  }
}
/** Slots by index: hero 0, secondary 1, notice 2, as a decision lists them. */
const SLOT_ORDER: readonly SlotName[] = ["hero", "secondary", "notice"];

export interface PlannedVariant {
  /** Upper bound of this variant on [0, 1): variants split the unit interval by weight. */
  upTo: number;
  /** By languageIndex. */
  chosen: readonly { item: ChosenItem; trace: TraceEntry }[];
}

export interface PlannedItem extends PolicyTarget, CompiledExpression {
  item: CatalogueItem;
  /** Index of its exclusion group, -1 without one. */
  group: number;
  /** Its slot by index (hero 0, secondary 1, notice 2) and how many items that slot holds. */
  slotIndex: number;
  capacity: number;
  excluded: Readonly<Record<StaticRule, TraceEntry>>;
  /** Trace entry when an item of its group ranked higher, by that item's index. */
  lostGroupTo: ReadonlyMap<number, TraceEntry>;
  variants: readonly PlannedVariant[];
  /** What the A/B split hashes before the customer's id (`experiment:`), "" without an experiment. */
  splitKey: string;
}

/** A decision as a plan makes it: the traced Decision, or the SlotDecision with `trace: false`. */
export type PlanDecision = (profile: Profile, options: DecideOptions) => Decision | SlotDecision;

/** A plan but for its decision, which is made from the rest (generated as source, or the interpreter). */
export type PlanData = Omit<Plan, "decide">;

export interface Plan {
  /** Decides one customer: the catalogue's generated code, or the interpreter where that code would be too long. */
  decide: PlanDecision;
  facts: Facts;
  policy: ContactPolicy;
  items: readonly PlannedItem[];
  /** Per item, 1 when the run date is inside its validity; the last run date's answer is kept. */
  validOn(runDate: string): Uint8Array;
  /** Per exclusion group, the index of the item that won it: a decision's scratch, like facts. */
  groupWinner: Int32Array;
  /** Places in all slots of bounded size (hero and secondary). */
  boundedRoom: number;
  /** Index of the last item for a slot of unbounded size, -1 without one. */
  lastUnbounded: number;
  /** The customer as the contact policy reads it: a decision's scratch, like facts. */
  subject: PolicySubject;
  /** Per slot (by index), the items chosen so far and how many: a decision's scratch, copied out at its end. */
  chosen: readonly ChosenItem[][];
  filled: Int32Array;
}

/** Where a loaded catalogue keeps its plan: a property that neither keys, JSON nor a copy of the catalogue shows. */
const PLAN: unique symbol = Symbol("plan");

export function planOf(catalogue: Catalogue): Plan {
  const plan = (catalogue as Catalogue & { readonly [PLAN]?: Plan })[PLAN];
  if (!plan) throw new Error("not a loaded catalogue: use loadCatalogue()");
  return plan;
}

/** One item as the loader compiled it, before planning. */
export interface CompiledEntry extends CompiledExpression {
  item: CatalogueItem;
}

/** Plans the items (given in arbitration order) and returns the frozen public catalogue. */
export function freezeCatalogue(
  file: string,
  policy: ContactPolicy,
  facts: Facts,
  ordered: readonly CompiledEntry[],
  reactions: Pick<Catalogue, "triggers" | "timeZone">,
  decisionOf: (plan: PlanData) => PlanDecision,
): Catalogue {
  const groups = new Map<string, number>();
  for (const { item } of ordered)
    if (item.group !== undefined && !groups.has(item.group)) groups.set(item.group, groups.size);
  const items = ordered.map((entry, index) => planItem(entry, index, ordered, groups, policy, facts));
  const catalogue: Catalogue = { file, policy, ...reactions, items: items.map((p) => p.item) };
  const bounded = (Object.keys(SLOT_CAPACITY) as SlotName[]).filter((s) => SLOT_CAPACITY[s] !== Infinity);
  // Facts, the validity kept and the scratch stay mutable: they are pointed at each customer in turn.
  const data: PlanData = {
    facts,
    policy,
    items: deepFreeze(items),
    validOn: validity(items),
    groupWinner: new Int32Array(groups.size),
    boundedRoom: bounded.reduce((room, s) => room + SLOT_CAPACITY[s], 0),
    lastUnbounded: items.findLastIndex((p) => p.capacity === Infinity),
    subject: new PolicySubject(facts),
    chosen: SLOT_ORDER.map(() => new Array<ChosenItem>(items.length)),
    filled: new Int32Array(SLOT_ORDER.length),
  };
  Object.defineProperty(catalogue, PLAN, { value: Object.freeze({ ...data, decide: decisionOf(data) }) });
  return deepFreeze(catalogue);
}

function validity(items: readonly PlannedItem[]): Plan["validOn"] {
  let kept: string | undefined;
  const valid = new Uint8Array(items.length);
  return (runDate) => {
    if (runDate !== kept) {
      for (const [i, { item }] of items.entries()) {
        const { from, to } = item.valid;
        valid[i] = (from !== undefined && runDate < from) || (to !== undefined && runDate > to) ? 0 : 1;
      }
      kept = runDate;
    }
    return valid;
  };
}

function planItem(
  entry: CompiledEntry,
  index: number,
  ordered: readonly CompiledEntry[],
  groups: ReadonlyMap<string, number>,
  policy: ContactPolicy,
  facts: Facts,
): PlannedItem {
  const { item } = entry;
  const entryFor = (rule: string, reason: string): TraceEntry => ({
    id: item.id,
    slot: item.slot,
    chosen: false,
    rule,
    reason,
  });
  const lostGroupTo = new Map<number, TraceEntry>();
  for (let j = 0; j < index; j++) {
    const winner = ordered[j].item;
    if (item.group !== undefined && winner.group === item.group) {
      lostGroupTo.set(
        j,
        entryFor("exclusion-group", `${winner.id} of the same group "${item.group}" ranks higher and was chosen`),
      );
    }
  }
  const variants: readonly Variant[] = item.experiment?.variants ?? [{ id: "", weight: 1 }];
  const totalWeight = variants.reduce((sum, v) => sum + v.weight, 0);
  let upTo = 0;
  return {
    item,
    test: entry.test,
    ...(entry.node === undefined ? {} : { node: entry.node }),
    library: entry.library,
    id: item.id,
    channelMask: item.channels.reduce((mask, c) => mask | channelBit(c), 0),
    offer: item.kind === "offer",
    marketing: item.marketing,
    product: item.product,
    productBit: item.product === undefined ? 0 : facts.productBit(item.product),
    group: item.group === undefined ? -1 : (groups.get(item.group) ?? -1),
    slotIndex: SLOT_ORDER.indexOf(item.slot),
    capacity: SLOT_CAPACITY[item.slot],
    excluded: {
      validity: entryFor("validity", `not valid on the run date: runs ${span(item.valid)}`),
      cap: entryFor(
        "cap",
        item.cap === undefined ? "capped for this run" : `its cap of ${item.cap} for this run is used up`,
      ),
      channel: entryFor("channel", `none of its channels (${item.channels.join(", ")}) reaches this customer`),
      vulnerable: entryFor("vulnerable", "no sales offers to customers in vulnerable circumstances"),
      "recent-complaint": entryFor(
        "recent-complaint",
        `the customer complained in the last ${policy.complaintWindowDays} days: no sales offers`,
      ),
      consent: entryFor("consent", "marketing, and the customer has not given marketing consent"),
      "holds-product": entryFor("holds-product", `the customer already holds ${item.product}`),
      eligibility: entryFor("eligibility", `not eligible: ${item.eligibility.replace(/\s+/g, " ").trim()}`),
      "slot-full": entryFor(
        "slot-full",
        SLOT_CAPACITY[item.slot] === 1
          ? `the ${item.slot} slot is full: its one place went to an item that ranks higher`
          : `the ${item.slot} slot is full: its ${SLOT_CAPACITY[item.slot]} places went to items that rank higher`,
      ),
    },
    lostGroupTo,
    splitKey: item.experiment ? `${item.experiment.id}:` : "",
    variants: variants.map((variant, v) => {
      upTo = v === variants.length - 1 ? 1 : upTo + variant.weight / totalWeight;
      return { upTo, chosen: LANGUAGES.map((language) => chosenFor(item, language, variant)) };
    }),
  };
}

/**
 * The item's copy with a variant's changes. A headline or body the variant changes replaces the channel words
 * written for that field too (the variant is what is tested, on paper and by email alike), unless the variant
 * gives that channel words of its own.
 */
function withVariant(base: Copy, change: Partial<Copy> | undefined): Copy {
  if (!change) return base;
  const copy: Copy = { ...base, ...change };
  for (const channel of ["print", "email"] as const) {
    const words = { ...base[channel] };
    for (const field of ["headline", "body"] as const) if (change[field] !== undefined) delete words[field];
    Object.assign(words, change[channel]);
    if (Object.keys(words).length > 0) copy[channel] = words;
    else delete copy[channel];
  }
  return copy;
}

function chosenFor(item: CatalogueItem, language: Language, variant: Variant): { item: ChosenItem; trace: TraceEntry } {
  const written = item.copy[language] ? language : "en";
  const copy = withVariant(item.copy[written] as Copy, variant.copy?.[written]);
  const variantId = variant.id;
  const chosen: ChosenItem = {
    id: item.id,
    kind: item.kind,
    slot: item.slot,
    priority: item.priority,
    channels: item.channels,
    marketing: item.marketing,
    ...(item.experiment ? { experiment: { id: item.experiment.id, variant: variantId } } : {}),
    ...(item.qr ? { qr: true } : {}),
    copy,
  };
  const variantNote = item.experiment ? `, variant ${variantId} of experiment ${item.experiment.id}` : "";
  const reason = `chosen for the ${item.slot} slot (priority ${item.priority}${variantNote})`;
  return { item: chosen, trace: { id: item.id, slot: item.slot, chosen: true, rule: "chosen", reason } };
}

function span(valid: CatalogueItem["valid"]): string {
  if (valid.from && valid.to) return `from ${valid.from} to ${valid.to}`;
  return valid.from ? `from ${valid.from}` : `until ${valid.to}`;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    if (value instanceof Map) for (const v of value.values()) deepFreeze(v);
    else for (const v of Object.values(value)) if (typeof v !== "function") deepFreeze(v);
  }
  return value;
}
