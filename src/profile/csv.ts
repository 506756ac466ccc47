import { type Result, fail, ok, problem } from "../core/index.ts";
import { profileSchema } from "./schema.ts";
import type { Profile } from "./types.ts";
import { validateProfile } from "./validate.ts";

/**
 * CSV extracts: one customer a row, nested fields named by dotted headers (`contact.address.postcode`,
 * `account.charges.0.amount`, `preferences.channels`). Cells are typed by the profile schema (a number column
 * becomes a number, `true`/`false` a boolean) and the record is then validated like any NDJSON record, so a
 * cell that does not fit (`12,50` in a number column) is rejected with the same field and reason.
 */

/** Separates the values of a list of plain values in one cell: `email|sms`. */
export const CSV_LIST_SEPARATOR = "|";

type Leaf = "number" | "integer" | "boolean" | "string";
type Segment = string | number;

/** One column, read once from the header row. */
interface Column {
  path: Segment[];
  leaf: Leaf;
  /** The cell holds a whole list of plain values (`preferences.channels` = `email|sms`). */
  list: boolean;
}

/** The columns of a CSV extract, compiled once from its header row. */
export interface CsvHeader {
  readonly columns: readonly Column[];
}

type SchemaNode = { type?: string; properties?: Record<string, SchemaNode>; items?: SchemaNode };

const FORBIDDEN = new Set(["__proto__", "prototype", "constructor"]);

/** Reads the header row: every header must be a dotted path; unknown fields are kept as text. */
export function compileCsvHeader(headers: readonly string[]): Result<CsvHeader> {
  const columns: Column[] = [];
  const seen = new Set<string>();
  for (const [i, header] of headers.entries()) {
    const name = header.trim();
    const where = `line 1 column ${i + 1}`;
    const parts = name.split(".");
    if (name === "" || parts.some((p) => p === "" || FORBIDDEN.has(p)))
      return fail(problem("OMD_INPUT_CSV", `header "${header}" is not a dotted field path`, where));
    if (seen.has(name)) return fail(problem("OMD_INPUT_CSV", `header "${header}" appears twice`, where));
    seen.add(name);
    columns.push(column(parts));
  }
  return ok({ columns });
}

function column(parts: string[]): Column {
  let node: SchemaNode | undefined = profileSchema as unknown as SchemaNode;
  const path: Segment[] = [];
  for (const part of parts) {
    if (node?.type === "array" && /^(0|[1-9][0-9]{0,5})$/.test(part)) {
      path.push(Number(part));
      node = node.items;
    } else {
      path.push(part);
      node = node?.properties?.[part];
    }
  }
  if (node?.type === "array") return { path, leaf: leafOf(node.items), list: true };
  return { path, leaf: leafOf(node), list: false };
}

function leafOf(node: SchemaNode | undefined): Leaf {
  const t = node?.type;
  return t === "number" || t === "integer" || t === "boolean" ? t : "string";
}

/** One data row (cells in header order) to a validated profile; `line` is the row's line in the file. */
export function parseProfileCsvRow(header: CsvHeader, cells: readonly string[], line: number): Result<Profile> {
  const where = `line ${line}`;
  if (cells.length !== header.columns.length)
    return fail(
      problem(
        "OMD_INPUT_CSV",
        `the row has ${cells.length} cells where the header has ${header.columns.length}`,
        where,
      ),
    );
  if (cells.every((c) => c.trim() === "")) return fail(problem("OMD_INPUT_EMPTY", "empty row", where));
  return validateProfile(csvRowToRecord(header, cells), where);
}

/**
 * Builds the nested record. A header creates its containers even when its cells are empty, so a customer with
 * no products still has `products: []`; an array element exists only when one of its cells has a value.
 */
export function csvRowToRecord(header: CsvHeader, cells: readonly string[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [i, col] of header.columns.entries()) {
    const cell = cells[i];
    const parent = containerFor(record, col.path, cell !== "");
    if (parent === undefined || cell === "") continue;
    const key = col.path[col.path.length - 1];
    const value = col.list ? cell.split(CSV_LIST_SEPARATOR).map((v) => typed(v, col.leaf)) : typed(cell, col.leaf);
    (parent as Record<Segment, unknown>)[key] = value;
  }
  return compact(record) as Record<string, unknown>;
}

/** The object or array that holds the path's last segment; array elements are made only for a value. */
function containerFor(record: Record<string, unknown>, path: Segment[], hasValue: boolean): object | undefined {
  let node: Record<Segment, unknown> = record;
  for (let d = 0; d < path.length - 1; d++) {
    const key = path[d];
    const makesElement = typeof key === "number";
    let next = node[key];
    if (next === undefined) {
      if (makesElement && !hasValue) return undefined;
      next = typeof path[d + 1] === "number" ? [] : {};
      node[key] = next;
    }
    node = next as Record<Segment, unknown>;
  }
  return node;
}

/** Holes left by empty elements (`products.0` empty, `products.1` set) close up, keeping the order. */
function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(compact);
  if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) (value as Record<string, unknown>)[k] = compact(v);
  }
  return value;
}

const NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

/** A cell that does not read as its column's type stays text, so validation names the field and the rule. */
function typed(cell: string, leaf: Leaf): unknown {
  if ((leaf === "number" || leaf === "integer") && NUMBER.test(cell)) return Number(cell);
  if (leaf === "boolean" && (cell === "true" || cell === "false")) return cell === "true";
  return cell;
}
