import { compileExpression } from "filtrex";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Direct, closureOf } from "../../src/decide/expression-closure.ts";
import { parseDirect } from "../../src/decide/expression-direct.ts";
import { RUNTIME, expressionSource } from "../../src/decide/expression-source.ts";
import { CONSTANTS } from "../../src/decide/expression-scan.ts";
import { readOwn } from "../../src/decide/expression.ts";
import { Facts, domainFunctions } from "../../src/decide/functions.ts";
import { catalogue } from "./scenarios.ts";

/** Functions as a catalogue gives them: one reads the data it was pointed at, one checks its argument. */
const facts: { data: Record<string, unknown> } = { data: {} };
const FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
  level: () => facts.data.n,
  twice: (x) => {
    if (typeof x !== "number") throw new TypeError(`twice() expects a number, got ${typeof x}`);
    return 2 * x;
  },
};

/** The library alone, reading fields as the catalogue's compiler does. */
function library(source: string) {
  return compileExpression(source, {
    extraFunctions: FUNCTIONS,
    constants: CONSTANTS,
    customProp: (name, _get, object, type) => {
      if (type === "single-quoted") return readOwn(object, name);
      let value: unknown = object;
      for (const key of name.split(".")) value = readOwn(value, key);
      return value;
    },
  });
}

const FIELDS = ["a", "b", "s", "n", "box.n", "box.flag", "missing", "box.missing.deep", "list", "one"];
const leaf = fc.oneof(
  fc.constantFrom(...FIELDS),
  fc.constantFrom("0", "1", "3", "2.5", "120", "true", "false", '"x"', '"residential"', '""'),
  fc.constantFrom(
    "level()",
    "twice(n)",
    "twice(s)",
    "twice(3)",
    "exists(missing)",
    "exists(box.n)",
    "max(n, 3)",
    "abs(n)",
  ),
);
const { expression } = fc.letrec<{ expression: string }>((tie) => ({
  expression: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    tie("expression").map((e) => `(${e})`),
    tie("expression").map((e) => `not ${e}`),
    tie("expression").map((e) => `-${e}`),
    fc
      .tuple(
        tie("expression"),
        fc.constantFrom("and", "or", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/"),
        tie("expression"),
      )
      .map(([l, op, r]) => `${l} ${op} ${r}`),
  ),
}));
const data = fc.record({
  a: fc.boolean(),
  b: fc.oneof(fc.boolean(), fc.integer({ min: -3, max: 3 })),
  s: fc.constantFrom("x", "residential", ""),
  // The literals too, so that comparisons meet their edges.
  n: fc.oneof(
    fc.constantFrom(0, 1, 2.5, 3, 120),
    fc.integer({ min: -5, max: 200 }),
    fc.double({ noNaN: true, min: -10, max: 10 }),
  ),
  box: fc.record({ n: fc.integer({ min: 0, max: 9 }), flag: fc.boolean() }, { requiredKeys: [] }),
  list: fc.array(fc.boolean(), { maxLength: 2 }),
  one: fc.constant([true]),
});

/** The expression as closures: what audiences and the interpreter run. */
function closures(source: string, functions = FUNCTIONS): Direct | undefined {
  const node = parseDirect(source, functions);
  return node === undefined ? undefined : closureOf(node);
}

/** The expression as the code a catalogue's decision inlines, in a function of its own over `d`. */
function generated(source: string, functions = FUNCTIONS): Direct | undefined {
  const node = parseDirect(source, functions);
  if (node === undefined) return undefined;
  const fns: unknown[] = [];
  const temps: string[] = [];
  const code = expressionSource(node, {
    data: "d",
    callee: (fn) => `fns[${fns.includes(fn) ? fns.indexOf(fn) : fns.push(fn) - 1}]`,
    temp: () => `t${temps.push(`t${temps.length}`) - 1}`,
  });
  const body = `return (d) => {${temps.length > 0 ? ` let ${temps.join(", ")};` : ""} return ${code}; };`;
  return new Function("fns", ...Object.keys(RUNTIME), body)(fns, ...Object.values(RUNTIME));
}

/** What a test gives, comparable: a value, or the error's kind and words. */
const outcome = (v: unknown) => (v instanceof Error ? { error: v.constructor.name, message: v.message } : { value: v });

for (const [name, directOf] of Object.entries({ closures, "generated code": generated }))
  describe(`expressions run as ${name}`, () => {
    it("give what the library gives, wherever they do not bail out to it", () => {
      let compared = 0;
      fc.assert(
        fc.property(expression, data, (source, d) => {
          let lib: ReturnType<typeof library>;
          try {
            lib = library(source);
          } catch {
            return; // the library refuses it; so does the catalogue
          }
          const direct = directOf(source, FUNCTIONS);
          if (direct === undefined) return;
          facts.data = d;
          let value: unknown;
          try {
            value = direct(d);
          } catch {
            return; // bails out: the library decides
          }
          compared++;
          expect(outcome(value)).toEqual(outcome(lib(d)));
        }),
        { numRuns: 4000 },
      );
      expect(compared).toBeGreaterThan(800);
    }, 120_000); // thousands of expressions compiled twice: minutes on a loaded machine

    it("compare with a literal as the library does, at the literal and either side of it", () => {
      for (const op of ["==", "!=", "<", "<=", ">", ">="])
        for (const k of ["0", "3", "2.5", '"x"'])
          for (const n of [-1, 0, 1, 2.5, 3, 4, "x", ""]) {
            const source = `n ${op} ${k}`;
            const d = { n };
            let value: unknown;
            try {
              value = directOf(source, FUNCTIONS)?.(d);
            } catch {
              continue; // bails out: the library decides
            }
            expect(outcome(value), `${source} with n = ${JSON.stringify(n)}`).toEqual(outcome(library(source)(d)));
          }
    });

    it("read own properties only, whatever the object's prototype, and Object.prototype's keys never", () => {
      const data: Record<string, unknown>[] = [
        Object.assign(Object.create({ n: 5, box: { n: 7 }, missing: 1 }), { s: "x" }),
        Object.assign(Object.create(null), { n: 3, box: Object.assign(Object.create(null), { n: 4 }) }),
        { n: 2, box: Object.create({ n: 9, flag: true }) },
        { n: 2, box: { n: 1, missing: { deep: 1 } } },
      ];
      const sources = [
        "n == 5",
        "n == 3",
        "box.n == 7",
        "box.n == 9",
        "box.flag",
        "exists(box)",
        "exists(missing)",
        "exists(box.missing.deep)",
      ];
      Object.defineProperty(Object.prototype, "missing", { value: 1, configurable: true, writable: true });
      try {
        for (const d of data)
          for (const source of sources)
            expect(outcome(directOf(source, FUNCTIONS)?.(d)), source).toEqual(outcome(library(source)(d)));
      } finally {
        delete (Object.prototype as { missing?: unknown }).missing;
      }
    });

    it("take every eligibility of the sample catalogue", () => {
      const functions = domainFunctions(new Facts());
      const left = catalogue.items.filter((i) => directOf(i.eligibility, functions) === undefined);
      expect(left.map((i) => i.eligibility)).toEqual([]);
    });

    it("leave to the library what they do not read exactly as it does", () => {
      for (const source of [
        "n in (1, 2)",
        "n not in (1, 2)",
        "'box' of n",
        "1 < n < 3",
        "n == 1 == true",
        "010 > n",
        "a and(b)",
        "not(a)",
        '"say \\"x\\"" == s',
        "empty(list)",
        "n mod 2 == 1",
        "n ^ 2 > 3",
        's ~= "x"',
        "if a then 1 else 2",
        "a ? 1 : 2",
        "n % 2",
        "box.constructor",
        "unknownFunction(n)",
        "(1, 2)",
      ])
        expect(directOf(source, FUNCTIONS), source).toBeUndefined();
    });

    it("bail out, so the library answers in its own words, on a value of another type", () => {
      const d = { n: "text", a: [true], s: "x" };
      for (const source of ["n > 3", "a and true", "not n", "twice(s)", "-s", "n + 1"]) {
        const direct = directOf(source, FUNCTIONS);
        expect(direct, source).toBeDefined();
        expect(() => direct?.(d), source).toThrow();
      }
    });
  });
