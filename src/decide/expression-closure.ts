import type { DirectNode } from "./expression-direct.ts";

/**
 * A parsed expression as plain closures: what an audience's conditions and the interpreter (`interpret.ts`)
 * run, and the reference the generated code of a catalogue (`expression-source.ts`) is compared with. A closure
 * that meets a value of an unusual type throws, and the caller has the library decide that customer.
 */

/** A compiled expression over the data (the profile); throws when the library must decide. */
export type Direct = (data: object) => unknown;

/** Thrown by a closure that met a value the library coerces or reports in its own words. */
const BAIL: unique symbol = Symbol("bail");

const bail = (): never => {
  throw BAIL;
};

export function closureOf(node: DirectNode): Direct {
  switch (node.kind) {
    case "literal": {
      const { value } = node;
      return () => value;
    }
    case "field":
      return field(node.path);
    case "call":
      return call(node.fn, node.args.map(closureOf), node.args);
    case "not": {
      const operand = closureOf(node.operand);
      return (d) => !truth(operand(d));
    }
    case "negate": {
      const operand = closureOf(node.operand);
      return (d) => -numeric(operand(d));
    }
    case "and":
    case "or": {
      const [a, b] = [closureOf(node.left), closureOf(node.right)];
      return node.kind === "and" ? (d) => truth(a(d)) && truth(b(d)) : (d) => truth(a(d)) || truth(b(d));
    }
    case "compare": {
      const a = closureOf(node.left);
      const k = node.right.kind === "literal" ? node.right.value : undefined;
      // A literal on the right is read here, once: one closure call fewer per comparison.
      if (k !== undefined && (typeof k === "number" || node.op === "==" || node.op === "!="))
        return COMPARE_LITERAL[node.op](a, k);
      return COMPARE[node.op](a, closureOf(node.right));
    }
    case "arithmetic":
      return ARITHMETIC[node.op](closureOf(node.left), closureOf(node.right));
  }
}

function truth(value: unknown): boolean {
  return typeof value === "boolean" ? value : bail();
}

function numeric(value: unknown): number {
  return typeof value === "number" ? value : bail();
}

/** `==` and `!=` are strict (in)equality; the orderings compare numbers only. */
const COMPARE: Record<string, (a: Direct, b: Direct) => Direct> = {
  "==": (a, b) => (d) => a(d) === b(d),
  "!=": (a, b) => (d) => a(d) !== b(d),
  "<": (a, b) => (d) => numeric(a(d)) < numeric(b(d)),
  "<=": (a, b) => (d) => numeric(a(d)) <= numeric(b(d)),
  ">": (a, b) => (d) => numeric(a(d)) > numeric(b(d)),
  ">=": (a, b) => (d) => numeric(a(d)) >= numeric(b(d)),
};

/** The same with a literal on the right: a number, or text or a boolean for `==` and `!=`. */
const COMPARE_LITERAL: Record<string, (a: Direct, k: unknown) => Direct> = {
  "==": (a, k) => (d) => a(d) === k,
  "!=": (a, k) => (d) => a(d) !== k,
  "<": (a, k) => (d) => numeric(a(d)) < (k as number),
  "<=": (a, k) => (d) => numeric(a(d)) <= (k as number),
  ">": (a, k) => (d) => numeric(a(d)) > (k as number),
  ">=": (a, k) => (d) => numeric(a(d)) >= (k as number),
};

/** Both sides are evaluated before either is checked, as the library does. */
const ARITHMETIC: Record<string, (a: Direct, b: Direct) => Direct> = {
  "+": (a, b) => (d) => sum(a(d), b(d)),
  "-": (a, b) => (d) => difference(a(d), b(d)),
  "*": (a, b) => (d) => product(a(d), b(d)),
  "/": (a, b) => (d) => quotient(a(d), b(d)),
};

// `+` also joins text in the library; only numbers are handled here.
const sum = (x: unknown, y: unknown) => numeric(x) + numeric(y);
const difference = (x: unknown, y: unknown) => numeric(x) - numeric(y);
const product = (x: unknown, y: unknown) => numeric(x) * numeric(y);
const quotient = (x: unknown, y: unknown) => numeric(x) / numeric(y);

function call(fn: (...args: unknown[]) => unknown, args: readonly Direct[], nodes: readonly DirectNode[]): Direct {
  if (args.length === 0) return () => fn();
  if (args.length === 1) {
    const [a] = args;
    const [n] = nodes;
    if (n.kind === "literal") {
      const k = n.value;
      return () => fn(k);
    }
    return (d) => fn(a(d));
  }
  return (d) => fn(...args.map((a) => a(d)));
}

/** A dotted profile path read through own data properties only; an absent step reads as undefined. */
function field(keys: readonly string[]): Direct {
  const step = (value: unknown, key: string): unknown =>
    typeof value === "object" && value !== null && Object.hasOwn(value, key)
      ? (value as Record<string, unknown>)[key]
      : undefined;
  if (keys.length === 1) {
    const [k] = keys;
    return (d) => step(d, k);
  }
  if (keys.length === 2) {
    const [k0, k1] = keys;
    return (d) => step(step(d, k0), k1);
  }
  return (d) => keys.reduce(step, d as unknown);
}
