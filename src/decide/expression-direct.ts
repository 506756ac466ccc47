import { CONSTANTS } from "./expression-scan.ts";

/**
 * The common shapes of an expression (fields, numbers, "text", function calls, not/and/or, comparisons and
 * arithmetic) compiled to plain closures, without the expression library's per-call machinery: a catalogue's
 * expression then costs tens of nanoseconds instead of a microsecond. The library stays the language: it
 * parses and checks every expression first, and whatever this reader does not handle exactly as the library
 * does is left to the library (`directOf` gives undefined). At run time a closure that meets a value of an
 * unusual type (not a boolean where one is needed, not a number to compare) bails out, and the library
 * evaluates that customer instead, so its result and its error messages are the library's.
 */

/** A compiled expression over the data (the profile); throws BAIL when the library must decide. */
export type Direct = (data: object) => unknown;

export type FunctionTable = Readonly<Record<string, (...args: unknown[]) => unknown>>;

/** Thrown by a closure that met a value the library coerces or reports in its own words. */
const BAIL: unique symbol = Symbol("bail");

const bail = (): never => {
  throw BAIL;
};

/** The library's built-in functions whose behaviour is plain (`empty` is left to it); the catalogue's table comes first. */
const BUILTINS: FunctionTable = {
  ...Object.fromEntries(
    ["abs", "ceil", "floor", "log", "log2", "log10", "max", "min", "round", "sqrt"].map((name) => [
      name,
      (Math as unknown as FunctionTable)[name],
    ]),
  ),
  exists: (v) => v !== undefined && v !== null,
};

/** Names the property reader never follows, as `readOwn`. */
const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);

type Token =
  | { kind: "number"; value: number }
  | { kind: "string"; value: string }
  | { kind: "symbol"; name: string }
  | { kind: "op"; op: string };

/** Keywords, as the library's lexer knows them: a keyword is the word followed by any non-word character. */
const KEYWORD = /^(?:and|or|not|in|of|if|then|else|mod)(?=[^\w])/;
const NUMBER = /[0-9]+(?:\.[0-9]+)?(?![0-9.])/y;
const SYMBOL = /[a-zA-Z$_][.a-zA-Z0-9$_]*/y;
const STRING = /"[^"\\]*"/y;
const OPS = ["==", "!=", ">=", "<=", "<", ">", "+", "-", "*", "/", "(", ")", ","];

/**
 * The tokens of an expression, or undefined when it uses anything outside the handled shapes: other keywords
 * (`in`, `of`, `if`, `mod`), quoted symbols, escapes in text, `^`, `~=`, `%`, `?`. `and`, `or` and `not` count
 * only followed by a space: the library's lexer swallows the character after a keyword, which only a space
 * makes harmless.
 */
function tokens(source: string): Token[] | undefined {
  const out: Token[] = [];
  let at = 0;
  const match = (re: RegExp): string | undefined => {
    re.lastIndex = at;
    const m = re.exec(source);
    return m === null ? undefined : m[0];
  };
  while (at < source.length) {
    const c = source[at];
    if (/\s/.test(c)) {
      at++;
      continue;
    }
    const op = OPS.find((o) => source.startsWith(o, at));
    if (op !== undefined) {
      out.push({ kind: "op", op });
      at += op.length;
      continue;
    }
    const keyword = KEYWORD.exec(source.slice(at))?.[0];
    if (keyword !== undefined) {
      if (!["and", "or", "not"].includes(keyword) || !/\s/.test(source[at + keyword.length])) return undefined;
      out.push({ kind: "op", op: keyword });
      at += keyword.length;
      continue;
    }
    const number = match(NUMBER);
    if (number !== undefined) {
      if (/^0[0-9]/.test(number)) return undefined; // the library reads 010 as an octal literal
      out.push({ kind: "number", value: Number(number) });
      at += number.length;
      continue;
    }
    const symbol = match(SYMBOL);
    if (symbol !== undefined) {
      out.push({ kind: "symbol", name: symbol });
      at += symbol.length;
      continue;
    }
    const text = match(STRING);
    if (text === undefined) return undefined;
    out.push({ kind: "string", value: text.slice(1, -1) });
    at += text.length;
  }
  return out;
}

class Unhandled extends Error {}

/**
 * Compiles what the library already accepted, with its precedence (lowest first): `or`, `and`, one comparison
 * (a chain such as `a < b < c` is left to the library), `+ -`, `* /`, prefix `not` and `-`. Gives undefined
 * for anything else.
 */
export function directOf(source: string, functions: FunctionTable): Direct | undefined {
  const list = tokens(source);
  if (list === undefined) return undefined;
  // The literals' closures and their values: a comparison or a call with a literal reads it once, here.
  const literals = new Map<Direct, unknown>();
  let i = 0;
  const peekOp = (): string | undefined => {
    const t = list[i];
    return t?.kind === "op" ? t.op : undefined;
  };
  const expect = (op: string): void => {
    if (peekOp() !== op) throw new Unhandled();
    i++;
  };

  const or = (): Direct => {
    let left = and();
    while (peekOp() === "or") {
      i++;
      left = either(left, and());
    }
    return left;
  };
  const and = (): Direct => {
    let left = comparison();
    while (peekOp() === "and") {
      i++;
      left = both(left, comparison());
    }
    return left;
  };
  const comparison = (): Direct => {
    const left = additive();
    const op = peekOp();
    if (op === undefined || !COMPARE[op]) return left;
    i++;
    const right = additive();
    if (COMPARE[peekOp() ?? ""]) throw new Unhandled();
    return literals.has(right) ? COMPARE_LITERAL[op](left, literals.get(right)) : COMPARE[op](left, right);
  };
  const additive = (): Direct => {
    let left = multiplicative();
    for (let op = peekOp(); op === "+" || op === "-"; op = peekOp()) {
      i++;
      left = ARITHMETIC[op](left, multiplicative());
    }
    return left;
  };
  const multiplicative = (): Direct => {
    let left = prefix();
    for (let op = peekOp(); op === "*" || op === "/"; op = peekOp()) {
      i++;
      left = ARITHMETIC[op](left, prefix());
    }
    return left;
  };
  const prefix = (): Direct => {
    const op = peekOp();
    if (op === "not") {
      i++;
      const operand = prefix();
      return (d) => !truth(operand(d));
    }
    if (op === "-") {
      i++;
      const operand = prefix();
      return (d) => -numeric(operand(d));
    }
    return primary();
  };
  const primary = (): Direct => {
    const t = list[i++];
    if (t === undefined) throw new Unhandled();
    if (t.kind === "number" || t.kind === "string") {
      const value = t.value;
      const literal = () => value;
      literals.set(literal, value);
      return literal;
    }
    if (t.kind === "op") {
      if (t.op !== "(") throw new Unhandled();
      const inner = or();
      expect(")");
      return inner;
    }
    if (peekOp() === "(") {
      i++;
      const args: Direct[] = [];
      if (peekOp() !== ")") {
        args.push(or());
        while (peekOp() === ",") {
          i++;
          args.push(or());
        }
      }
      expect(")");
      return call(t.name, args, functions, literals);
    }
    return field(t.name);
  };

  try {
    const direct = or();
    return i === list.length ? direct : undefined;
  } catch (err) {
    if (err instanceof Unhandled) return undefined;
    throw err;
  }
}

function truth(value: unknown): boolean {
  return typeof value === "boolean" ? value : bail();
}

function numeric(value: unknown): number {
  return typeof value === "number" ? value : bail();
}

const either =
  (a: Direct, b: Direct): Direct =>
  (d) =>
    truth(a(d)) || truth(b(d));

const both =
  (a: Direct, b: Direct): Direct =>
  (d) =>
    truth(a(d)) && truth(b(d));

/** `==` and `!=` are strict (in)equality; the orderings compare numbers only. */
const COMPARE: Record<string, (a: Direct, b: Direct) => Direct> = {
  "==": (a, b) => (d) => a(d) === b(d),
  "!=": (a, b) => (d) => a(d) !== b(d),
  "<": (a, b) => (d) => numeric(a(d)) < numeric(b(d)),
  "<=": (a, b) => (d) => numeric(a(d)) <= numeric(b(d)),
  ">": (a, b) => (d) => numeric(a(d)) > numeric(b(d)),
  ">=": (a, b) => (d) => numeric(a(d)) >= numeric(b(d)),
};

/** The same with a literal on the right, a number or text (which only `==` and `!=` accept). */
const COMPARE_LITERAL: Record<string, (a: Direct, k: unknown) => Direct> = {
  "==": (a, k) => (d) => a(d) === k,
  "!=": (a, k) => (d) => a(d) !== k,
  "<": (a, k) => (typeof k === "number" ? (d) => numeric(a(d)) < k : COMPARE["<"](a, () => k)),
  "<=": (a, k) => (typeof k === "number" ? (d) => numeric(a(d)) <= k : COMPARE["<="](a, () => k)),
  ">": (a, k) => (typeof k === "number" ? (d) => numeric(a(d)) > k : COMPARE[">"](a, () => k)),
  ">=": (a, k) => (typeof k === "number" ? (d) => numeric(a(d)) >= k : COMPARE[">="](a, () => k)),
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

function call(
  name: string,
  args: readonly Direct[],
  functions: FunctionTable,
  literals: ReadonlyMap<Direct, unknown>,
): Direct {
  const fn = Object.hasOwn(functions, name)
    ? functions[name]
    : Object.hasOwn(BUILTINS, name)
      ? BUILTINS[name]
      : undefined;
  if (typeof fn !== "function") throw new Unhandled();
  if (args.length === 0) return () => fn();
  if (args.length === 1) {
    const [a] = args;
    if (literals.has(a)) {
      const k = literals.get(a);
      return () => fn(k);
    }
    return (d) => fn(a(d));
  }
  return (d) => fn(...args.map((a) => a(d)));
}

/** A dotted profile path read through own data properties only; an absent step reads as undefined. */
function field(name: string): Direct {
  if (Object.hasOwn(CONSTANTS, name)) {
    const value = CONSTANTS[name as keyof typeof CONSTANTS];
    return () => value;
  }
  const keys = name.split(".");
  if (keys.some((k) => FORBIDDEN.has(k))) throw new Unhandled();
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
