import type { CallNode, DirectNode } from "./expression-direct.ts";

/**
 * A parsed expression written as JavaScript, so that V8 compiles each expression where it is used instead of
 * calling a closure shared by every expression of its shape. Only the parse tree is written, never the
 * expression's text: text literals go through JSON.stringify, field names are quoted keys read through
 * `hasOwn`, functions are called by names the caller gives them, so nothing the catalogue says becomes an
 * identifier or a statement. The code checks the types as the closures of `expression-closure.ts` do: where a
 * value is not a boolean where one is needed, or not a number to compare or compute, it calls `bail()`, which
 * throws, and the caller has the library decide that customer.
 */

/**
 * What the generated code finds in scope besides the names the caller gives: what an own property's read needs
 * (`ownStep`), and the bail.
 */
export const RUNTIME = {
  hasOwn: Object.hasOwn as (value: object, key: string) => boolean,
  protoOf: Object.getPrototypeOf as (value: object) => object | null,
  objectProto: Object.prototype,
  bail: (): never => {
    throw BAIL;
  },
};

/** Thrown by generated code that met a value the library coerces or reports in its own words. */
const BAIL: unique symbol = Symbol("bail");

/**
 * How the caller names things in its generated code: the data, a function called, a new temporary; and the
 * code it writes itself for a call it knows the answer of without calling (undefined: the call is written).
 */
export interface SourceNames {
  data: string;
  callee(fn: (...args: unknown[]) => unknown): string;
  temp(): string;
  call?(node: CallNode): string | undefined;
}

/** One JavaScript expression; it may throw (a bail, or a function's own error). */
export function expressionSource(node: DirectNode, names: SourceNames): string {
  const write = (n: DirectNode): string => {
    switch (n.kind) {
      case "literal":
        return literal(n.value);
      case "field":
        return n.path.reduce((value, key) => ownStep(value, key, names), names.data);
      case "call":
        return names.call?.(n) ?? `${names.callee(n.fn)}(${n.args.map(write).join(", ")})`;
      case "not":
        return `!${typed("boolean", n.operand)}`;
      case "negate":
        return `(-${typed("number", n.operand)})`;
      case "and":
      case "or":
        return `(${typed("boolean", n.left)} ${n.kind === "and" ? "&&" : "||"} ${typed("boolean", n.right)})`;
      case "compare": {
        if (n.op === "==" || n.op === "!=")
          return `(${write(n.left)} ${n.op === "==" ? "===" : "!=="} ${write(n.right)})`;
        return `(${typed("number", n.left)} ${n.op} ${typed("number", n.right)})`;
      }
      case "arithmetic":
        // `+` also joins text in the library; only numbers are handled here.
        return `(${typed("number", n.left)} ${n.op} ${typed("number", n.right)})`;
    }
  };
  /** The node's value if it has that type, else a bail; a node whose type is known needs no check. */
  const typed = (type: "boolean" | "number", n: DirectNode): string => {
    if (typeOf(n) === type) return write(n);
    const t = names.temp();
    return `(typeof (${t} = ${write(n)}) === "${type}" ? ${t} : bail())`;
  };
  return write(node);
}

/** The type of the node's value where the parse tree settles it: comparisons and logic give booleans, arithmetic numbers. */
function typeOf(n: DirectNode): string | undefined {
  switch (n.kind) {
    case "literal":
      return typeof n.value;
    case "not":
    case "and":
    case "or":
    case "compare":
      return "boolean";
    case "negate":
    case "arithmetic":
      return "number";
    default:
      return undefined;
  }
}

/** A value as a JavaScript literal: text through JSON.stringify, a number by its digits (or as a quotient, when not finite). */
export function literal(value: number | string | boolean): string {
  if (typeof value !== "number") return JSON.stringify(value);
  if (Number.isNaN(value)) return "(0 / 0)";
  if (!Number.isFinite(value)) return value > 0 ? "(1 / 0)" : "(-1 / 0)";
  return Object.is(value, -0) || value < 0 ? `(-${String(-value)})` : String(value);
}

/**
 * One step of a dotted path: an own property of an object, else undefined. The property is read first and
 * `hasOwn` asked only when what was read could be inherited: not when it is undefined, nor when the object is
 * a plain object (as JSON makes them) and Object.prototype has no such key. V8 then knows the object's shape from
 * the read, so the prototype is a constant and the key's absence from it is checked when the code is optimised;
 * `hasOwn` for each step cost a decision 10-18% of its time.
 */
function ownStep(value: string, key: string, names: SourceNames): string {
  const k = JSON.stringify(key);
  const [t, u] = [names.temp(), names.temp()];
  const own = `(${u} = ${t}[${k}]) === undefined || (protoOf(${t}) === objectProto && !(${k} in objectProto)) || hasOwn(${t}, ${k})`;
  return `(typeof (${t} = ${value}) === "object" && ${t} !== null && (${own}) ? ${u} : undefined)`;
}
