import { CONSTANTS } from "./expression-scan.ts";

/**
 * The common shapes of an expression (fields, numbers, "text", function calls, not/and/or, comparisons and
 * arithmetic) read into a parse tree, which `expression-closure.ts` runs as closures and `expression-source.ts`
 * writes as JavaScript, without the expression library's per-call machinery: a catalogue's expression then
 * costs nanoseconds instead of a microsecond. The library stays the language: it parses and checks every
 * expression first, and whatever this reader does not handle exactly as the library does is left to the
 * library (`parseDirect` gives undefined). At run time code that meets a value of an unusual type (not a
 * boolean where one is needed, not a number to compare) bails out, and the library evaluates that customer
 * instead, so its result and its error messages are the library's.
 */

export type FunctionTable = Readonly<Record<string, (...args: unknown[]) => unknown>>;

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

/** An expression as this reader parsed it: what `expression-source.ts` writes as JavaScript. */
export type DirectNode =
  | { kind: "literal"; value: number | string | boolean }
  /** A dotted profile path, split. */
  | { kind: "field"; path: readonly string[] }
  | CallNode
  | { kind: "not" | "negate"; operand: DirectNode }
  | { kind: "and" | "or"; left: DirectNode; right: DirectNode }
  | { kind: "compare"; op: CompareOp; left: DirectNode; right: DirectNode }
  | { kind: "arithmetic"; op: "+" | "-" | "*" | "/"; left: DirectNode; right: DirectNode };

/** A function called by its name: the catalogue's (the domain functions) or a built-in. */
export interface CallNode {
  kind: "call";
  name: string;
  fn: (...args: unknown[]) => unknown;
  args: readonly DirectNode[];
}

export type CompareOp = "==" | "!=" | "<" | "<=" | ">" | ">=";

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

const COMPARE_OPS = new Set(["==", "!=", "<", "<=", ">", ">="]);

/**
 * Parses what the library already accepted, with its precedence (lowest first): `or`, `and`, one comparison
 * (a chain such as `a < b < c` is left to the library), `+ -`, `* /`, prefix `not` and `-`. Gives undefined
 * for anything else, and for a call of a function that is neither the catalogue's nor a plain built-in.
 */
export function parseDirect(source: string, functions: FunctionTable): DirectNode | undefined {
  const list = tokens(source);
  if (list === undefined) return undefined;
  let i = 0;
  const peekOp = (): string | undefined => {
    const t = list[i];
    return t?.kind === "op" ? t.op : undefined;
  };
  const expect = (op: string): void => {
    if (peekOp() !== op) throw new Unhandled();
    i++;
  };

  const or = (): DirectNode => {
    let left = and();
    while (peekOp() === "or") {
      i++;
      left = { kind: "or", left, right: and() };
    }
    return left;
  };
  const and = (): DirectNode => {
    let left = comparison();
    while (peekOp() === "and") {
      i++;
      left = { kind: "and", left, right: comparison() };
    }
    return left;
  };
  const comparison = (): DirectNode => {
    const left = additive();
    const op = peekOp();
    if (op === undefined || !COMPARE_OPS.has(op)) return left;
    i++;
    const right = additive();
    if (COMPARE_OPS.has(peekOp() ?? "")) throw new Unhandled();
    return { kind: "compare", op: op as CompareOp, left, right };
  };
  const additive = (): DirectNode => {
    let left = multiplicative();
    for (let op = peekOp(); op === "+" || op === "-"; op = peekOp()) {
      i++;
      left = { kind: "arithmetic", op, left, right: multiplicative() };
    }
    return left;
  };
  const multiplicative = (): DirectNode => {
    let left = prefix();
    for (let op = peekOp(); op === "*" || op === "/"; op = peekOp()) {
      i++;
      left = { kind: "arithmetic", op, left, right: prefix() };
    }
    return left;
  };
  const prefix = (): DirectNode => {
    const op = peekOp();
    if (op === "not" || op === "-") {
      i++;
      return { kind: op === "not" ? "not" : "negate", operand: prefix() };
    }
    return primary();
  };
  const primary = (): DirectNode => {
    const t = list[i++];
    if (t === undefined) throw new Unhandled();
    if (t.kind === "number" || t.kind === "string") return { kind: "literal", value: t.value };
    if (t.kind === "op") {
      if (t.op !== "(") throw new Unhandled();
      const inner = or();
      expect(")");
      return inner;
    }
    if (peekOp() === "(") {
      i++;
      const args: DirectNode[] = [];
      if (peekOp() !== ")") {
        args.push(or());
        while (peekOp() === ",") {
          i++;
          args.push(or());
        }
      }
      expect(")");
      return { kind: "call", name: t.name, fn: functionNamed(t.name, functions), args };
    }
    return field(t.name);
  };

  try {
    const node = or();
    return i === list.length ? node : undefined;
  } catch (err) {
    if (err instanceof Unhandled) return undefined;
    throw err;
  }
}

/** The catalogue's function of that name, else the built-in; the library handles any other. */
function functionNamed(name: string, functions: FunctionTable): (...args: unknown[]) => unknown {
  const fn = Object.hasOwn(functions, name)
    ? functions[name]
    : Object.hasOwn(BUILTINS, name)
      ? BUILTINS[name]
      : undefined;
  if (typeof fn !== "function") throw new Unhandled();
  return fn;
}

/** A constant, or a dotted profile path read through own data properties only (an absent step reads as undefined). */
function field(name: string): DirectNode {
  if (Object.hasOwn(CONSTANTS, name)) return { kind: "literal", value: CONSTANTS[name as keyof typeof CONSTANTS] };
  const path = name.split(".");
  if (path.some((k) => FORBIDDEN.has(k))) throw new Unhandled();
  return { kind: "field", path };
}
