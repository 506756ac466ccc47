import {
  type Document,
  LineCounter,
  type Node,
  type Pair,
  Scalar,
  YAMLMap,
  YAMLSeq,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  Document as YamlDocument,
} from "yaml";

/**
 * A catalogue item's editable fields as the studio's form holds them: text by field path (`priority`,
 * `eligibility`, `valid.from`, `valid.to`, `copy.en.headline`, `copy.en.body`, `copy.en.sms`,
 * `copy.en.cta.label`, `copy.en.cta.url`), an empty string for a field the item does not have, and its channels.
 * The paths are the item's own YAML paths, so a problem found at a node names the field it belongs to.
 */
export interface OfferFields {
  values: Record<string, string>;
  channels: string[];
}

/** Copy fields a language of an item has in the form; `print:`/`email:` overrides stay as written. */
export const COPY_FIELDS = ["headline", "body", "sms", "cta.label", "cta.url"] as const;
export const OFFER_LANGUAGES = ["en", "fr", "de"] as const;

/** One item as the form shows it: what it is (not editable there) and its fields. */
export interface OfferForm extends OfferFields {
  id: string;
  kind: string;
  slot: string;
  languages: string[];
}

/** The order keys are written in, so a key the edit adds goes where a person would have put it. */
const ITEM_ORDER = ["id", "kind", "slot", "priority", "product", "group", "eligibility", "valid", "channels"];
const COPY_ORDER = ["headline", "body", "print", "email", "sms", "cta"];
/** Long copy is written folded (`>-`) past this width, as the catalogue's own bodies are. */
const LINE_WIDTH = 100;

/** A parsed catalogue with the positions of its lines, to find nodes and turn `file:line:column` into offsets. */
class CatalogueText {
  readonly doc: Document;
  private readonly lines = new LineCounter();

  constructor(readonly text: string) {
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false });
  }

  /** The index of item `id` in `items`, or -1. */
  indexOf(id: string): number {
    const items = this.doc.get("items", true);
    if (!isSeq(items)) return -1;
    return items.items.findIndex((n) => isMap(n) && n.get("id") === id);
  }

  node(path: readonly (string | number)[]): Node | undefined {
    const n = this.doc.getIn(path, true);
    return n && typeof n === "object" ? (n as Node) : undefined;
  }

  /** The offset of `line:column` (both 1-based). */
  offsetOf(line: number, column: number): number {
    return (this.lines.lineStarts[line - 1] ?? this.text.length) + column - 1;
  }
}

/** The catalogue's items as the picker lists them. */
export function listOffers(text: string): { id: string; kind: string; slot: string; headline: string }[] {
  const items = new CatalogueText(text).doc.toJS()?.items;
  if (!Array.isArray(items)) return [];
  return items
    .filter((i) => i && typeof i.id === "string")
    .map((i) => ({
      id: i.id,
      kind: String(i.kind ?? ""),
      slot: String(i.slot ?? ""),
      headline: String(
        i.copy?.en?.headline ?? (Object.values(i.copy ?? {})[0] as { headline?: string })?.headline ?? "",
      ),
    }));
}

/** Item `id`'s fields as written, or undefined when the catalogue has no such item. */
export function readOffer(text: string, id: string): OfferForm | undefined {
  const catalogue = new CatalogueText(text);
  const index = catalogue.indexOf(id);
  if (index < 0) return undefined;
  const item = catalogue.doc.getIn(["items", index], false) as YAMLMap;
  const js = item.toJSON() as Record<string, unknown> & { copy?: Record<string, Record<string, unknown>> };
  const languages = OFFER_LANGUAGES.filter((l) => js.copy?.[l]);
  const values: Record<string, string> = {
    priority: js.priority === undefined ? "" : String(js.priority),
    eligibility: String(js.eligibility ?? ""),
    "valid.from": String((js.valid as { from?: string })?.from ?? ""),
    "valid.to": String((js.valid as { to?: string })?.to ?? ""),
  };
  for (const language of languages)
    for (const field of COPY_FIELDS) {
      const value = field
        .split(".")
        .reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], js.copy?.[language]);
      values[`copy.${language}.${field}`] = value === undefined ? "" : String(value);
    }
  return {
    id,
    kind: String(js.kind ?? ""),
    slot: String(js.slot ?? ""),
    languages,
    values,
    channels: Array.isArray(js.channels) ? js.channels.map(String) : [],
  };
}

/**
 * One unit the edit writes: a key of the item (or of a language's copy) and its new value, undefined to drop
 * it. `valid` and `cta` are written whole, in the flow style the catalogue writes them in.
 */
interface Unit {
  path: (string | number)[];
  value: unknown;
}

function unitsOf(index: number, languages: readonly string[], fields: OfferFields): Unit[] {
  const v = (key: string) => fields.values[key]?.trim() ?? "";
  const item = (...path: string[]) => ["items", index, ...path];
  const priority = v("priority");
  const validFrom = v("valid.from");
  const validTo = v("valid.to");
  const units: Unit[] = [
    // A number stays a number; anything else is written as typed, for the loader to say what is wrong with it.
    { path: item("priority"), value: /^-?[0-9]+(\.[0-9]+)?$/.test(priority) ? Number(priority) : priority },
    { path: item("eligibility"), value: fields.values.eligibility ?? "" },
    {
      path: item("valid"),
      value:
        validFrom || validTo ? { ...(validFrom && { from: validFrom }), ...(validTo && { to: validTo }) } : undefined,
    },
    { path: item("channels"), value: fields.channels },
  ];
  for (const language of languages) {
    const copy = (key: string) => fields.values[`copy.${language}.${key}`] ?? "";
    for (const key of ["headline", "body", "sms"])
      units.push({ path: item("copy", language, key), value: key === "sms" && !copy(key) ? undefined : copy(key) });
    const label = copy("cta.label");
    const url = copy("cta.url");
    units.push({ path: item("copy", language, "cta"), value: label || url ? { label, url } : undefined });
  }
  return units;
}

/**
 * The catalogue text with item `id`'s fields set to `fields`. Only what changed is rewritten, each key in
 * place and in the style it had (plain, quoted, folded, flow), so comments, order and every other line stay
 * byte for byte: the file reads as a developer would have edited it. Undefined when there is no such item.
 */
export function applyOfferEdit(text: string, id: string, fields: OfferFields): string | undefined {
  let catalogue = new CatalogueText(text);
  const index = catalogue.indexOf(id);
  if (index < 0) return undefined;
  const copy = catalogue.doc.getIn(["items", index, "copy"]) as YAMLMap | undefined;
  const languages = OFFER_LANGUAGES.filter((l) => copy?.has(l));
  for (const unit of unitsOf(index, languages, fields)) {
    const written = writeUnit(catalogue, unit);
    // Parsed again only after a change: most units of a form are as they were.
    if (written !== catalogue.text) catalogue = new CatalogueText(written);
  }
  return catalogue.text;
}

/** Writes one unit into the text, if its value differs from what is there. */
function writeUnit(catalogue: CatalogueText, { path, value }: Unit): string {
  const { text } = catalogue;
  const parent = catalogue.node(path.slice(0, -1));
  const key = path.at(-1) as string;
  if (!isMap(parent))
    return value === undefined ? text : writeUnit(catalogue, { path: path.slice(0, -1), value: { [key]: value } });
  const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === key) as Pair<Scalar, Node> | undefined;
  const existing = pair?.value ?? undefined;
  if (value !== undefined && existing && sameValue(existing.toJSON(), value)) return text;
  if (!pair) return value === undefined ? text : insertPair(text, parent, key, value);
  const [from] = pair.key.range!;
  const to = existing?.range ? existing.range[1] : pair.key.range![1];
  if (value === undefined) return removeLines(text, from, to);
  const column = from - text.lastIndexOf("\n", from - 1) - 1;
  let written = pairText(key, value, existing, column);
  // A block scalar's range ends past its newline; any other value's ends on its line, before a comment.
  if (text[to - 1] !== "\n") written = written.replace(/\n$/, "");
  return text.slice(0, from) + written + text.slice(to);
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** `key: value` at `column`, in the style of the value it replaces (or the catalogue's: flow maps and lists). */
function pairText(key: string, value: unknown, like: Node | undefined, column: number): string {
  const doc = new YamlDocument({ [key]: value });
  const node = (doc.contents as YAMLMap).items[0].value as Node;
  if (node instanceof YAMLMap || node instanceof YAMLSeq) node.flow = like ? (like as YAMLMap).flow !== false : true;
  if (node instanceof Scalar && typeof value === "string") {
    const wasBlock = isScalar(like) && (like.type === "BLOCK_FOLDED" || like.type === "BLOCK_LITERAL");
    if (wasBlock || (!like && value.length + column > LINE_WIDTH)) node.type = "BLOCK_FOLDED";
    else if (isScalar(like) && like.type && like.type !== "PLAIN" && !wasBlock) node.type = like.type;
  }
  // The catalogue pads flow maps (`{ from: …, to: … }`) and not flow lists (`[print, email]`).
  const written = doc.toString({
    lineWidth: LINE_WIDTH - column,
    minContentWidth: 20,
    flowCollectionPadding: !Array.isArray(value),
  });
  const indent = " ".repeat(column);
  return written.replace(/\n(?=.)/g, `\n${indent}`);
}

/** Adds `key: value` to a block map, after the last key that comes before it in the catalogue's usual order. */
function insertPair(text: string, map: YAMLMap, key: string, value: unknown): string {
  const pairs = map.items.filter(isPair) as Pair<Scalar, Node>[];
  const order = pairs.some((p) => p.key.value === "headline") ? COPY_ORDER : ITEM_ORDER;
  const rank = (k: unknown) => {
    const i = order.indexOf(String(k));
    return i < 0 ? order.length : i;
  };
  const before = pairs.filter((p) => rank(p.key.value) <= rank(key)).at(-1) ?? pairs.at(-1);
  if (!before?.key.range) return text;
  const keyStart = before.key.range[0];
  const column = keyStart - text.lastIndexOf("\n", keyStart - 1) - 1;
  const end = before.value?.range?.[1] ?? before.key.range[1];
  const at = text[end - 1] === "\n" ? end : lineEnd(text, end);
  const line = `${" ".repeat(column)}${pairText(key, value, undefined, column)}`;
  return text.slice(0, at) + (at === text.length && !text.endsWith("\n") ? "\n" : "") + line + text.slice(at);
}

/** Drops the whole lines from `from` to `to`. */
function removeLines(text: string, from: number, to: number): string {
  const start = text.lastIndexOf("\n", from - 1) + 1;
  const end = text[to - 1] === "\n" ? to : lineEnd(text, to);
  return text.slice(0, start) + text.slice(end);
}

/** The offset just past the newline that ends the line holding `offset`. */
function lineEnd(text: string, offset: number): number {
  const n = text.indexOf("\n", offset);
  return n < 0 ? text.length : n + 1;
}

/** A problem's place in the form: the field it is about and the character in that field's text. */
export interface FieldPlace {
  field: string;
  offset?: number;
}

/**
 * Where `file:line:column` (a problem's `at`) falls in item `id`'s fields: the deepest field whose node holds
 * it, and for a text field the offset in the text as typed, the reverse of the loader's `inScalar`. Undefined
 * for a place outside the item (another item, the policy) or not in this file.
 */
export function fieldAt(text: string, id: string, file: string, at: string | undefined): FieldPlace | undefined {
  const m = at?.startsWith(`${file}:`) ? /:(\d+):(\d+)$/.exec(at) : null;
  if (!m) return undefined;
  const catalogue = new CatalogueText(text);
  const index = catalogue.indexOf(id);
  const item = catalogue.node(["items", index]);
  if (index < 0 || !item?.range) return undefined;
  const offset = catalogue.offsetOf(Number(m[1]), Number(m[2]));
  if (offset < item.range[0] || offset > item.range[1]) return undefined;
  let best: { path: string[]; node: Node } | undefined;
  walk(item, [], (path, node) => {
    const r = node.range!;
    if (offset >= r[0] && offset <= r[1]) best = { path, node };
  });
  if (!best) return { field: "" };
  const field = formField(best.path);
  if (field !== best.path.join(".") || !isScalar(best.node) || typeof best.node.value !== "string") return { field };
  return { field, offset: valueOffset(text, best.node as Scalar<string>, offset) };
}

/** Every node under `node` with a range, parents before children, by their path of keys and indexes. */
function walk(node: Node, path: string[], visit: (path: string[], node: Node) => void): void {
  if (!node.range) return;
  visit(path, node);
  if (isMap(node))
    for (const p of node.items) {
      if (isScalar(p.key) && p.value && typeof p.value === "object")
        walk(p.value as Node, [...path, String(p.key.value)], visit);
    }
  else if (isSeq(node)) for (const [i, n] of node.items.entries()) walk(n as Node, [...path, String(i)], visit);
}

/** The form's field for a node path: `channels.1` is the channels field, `copy.fr` the language as a whole. */
function formField(path: string[]): string {
  const dotted = path.join(".");
  if (path[0] === "channels") return "channels";
  return dotted;
}

/** The character of a scalar's value at source offset `offset`: its non-space characters matched in order. */
function valueOffset(text: string, node: Scalar<string>, offset: number): number {
  const value = node.value;
  let src = node.range![0];
  for (let i = 0; i < value.length; i++) {
    if (/\s/.test(value[i])) continue;
    while (src < node.range![1] && text[src] !== value[i]) src++;
    if (src >= offset) return i;
    src++;
  }
  return value.length;
}
