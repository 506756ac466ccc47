import { compileExpression } from "filtrex";
import type { ProblemCode } from "../core/index.ts";
import { closureOf } from "./expression-closure.ts";
import { type DirectNode, parseDirect } from "./expression-direct.ts";
import { CONSTANTS, symbolsOf, syntaxErrorOffset } from "./expression-scan.ts";
import type { ProfileFields } from "./profile-fields.ts";

/** A compiled eligibility test: true, false, or the Error the expression returned (it never throws). */
export type Eligibility = (profile: object) => unknown;

/** An expression compiled: its test, and for code that writes it inline, its parse tree and the library's own test. */
export interface CompiledExpression {
  test: Eligibility;
  /** The parse tree, when the direct reader handles the expression. */
  node?: DirectNode;
  /** The library alone: what decides whatever inline code bails out of. */
  library: Eligibility;
}

/** What is wrong with an expression, at an offset inside its text. */
export interface ExpressionError {
  code: ProblemCode;
  message: string;
  offset: number;
  hint?: string;
}

/** Names that would reach into JavaScript's machinery instead of the data. */
const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);

/** Own data properties only: never the prototype chain, never a forbidden name. */
export function readOwn(value: unknown, key: string): unknown {
  if (typeof value !== "object" || value === null || FORBIDDEN.has(key) || !Object.hasOwn(value, key)) return undefined;
  return (value as Record<string, unknown>)[key];
}

/** What the expressions are called in messages, and the codes of their problems. */
export interface ExpressionKind {
  /** `eligibility`, `audience` */
  name: string;
  /** Does not parse, or calls an unknown function. */
  invalid: ProblemCode;
  /** Names a field the profile schema does not have. */
  unknownField: ProblemCode;
}

/** The catalogue's items' eligibility expressions. */
export const ELIGIBILITY: ExpressionKind = {
  name: "eligibility",
  invalid: "OMD_CATALOGUE_EXPRESSION",
  unknownField: "OMD_CATALOGUE_UNKNOWN_FIELD",
};

/**
 * Compiles the expressions of one catalogue (or one template's audience) against one function table. Dotted
 * names are profile paths (`account.inArrears`), split once here; an optional field that is absent reads as
 * undefined.
 */
export class ExpressionCompiler {
  private readonly paths = new Map<string, readonly string[]>();
  private readonly options: Parameters<typeof compileExpression>[1];

  constructor(
    private readonly fields: ProfileFields,
    private readonly functions: Record<string, (...args: unknown[]) => unknown>,
    private readonly kind: ExpressionKind = ELIGIBILITY,
  ) {
    const paths = this.paths;
    this.options = {
      extraFunctions: functions,
      constants: CONSTANTS,
      customProp: (name, _get, object, type) => {
        if (type === "single-quoted") return readOwn(object, name);
        let value: unknown = object;
        for (const key of paths.get(name) ?? name.split(".")) value = readOwn(value, key);
        return value;
      },
    };
  }

  compile(source: string): ({ ok: true } & CompiledExpression) | { ok: false; errors: ExpressionError[] } {
    let test: Eligibility;
    try {
      test = compileExpression(source, this.options);
    } catch (err) {
      const message = (err as Error).message;
      const offset = syntaxErrorOffset(source, message) ?? 0;
      const firstLine = message.split("\n").at(-1) ?? message;
      return {
        ok: false,
        errors: [{ code: this.kind.invalid, message: `${this.kind.name} does not parse: ${firstLine}`, offset }],
      };
    }
    const errors = this.check(source);
    if (errors.length > 0) return { ok: false, errors };
    for (const s of symbolsOf(source)) if (s.role === "field" && !s.quoted) this.paths.set(s.name, s.name.split("."));
    const node = parseDirect(source, this.functions);
    if (node === undefined) return { ok: true, test, library: test };
    const direct = closureOf(node);
    const library = test;
    // The library decides whatever the direct closure bails out of, errors included, in its own words.
    return {
      ok: true,
      node,
      library,
      test: (profile) => {
        try {
          return direct(profile);
        } catch {
          return library(profile);
        }
      },
    };
  }

  /** Every field against the profile schema, every function against the library. */
  private check(source: string): ExpressionError[] {
    const errors: ExpressionError[] = [];
    for (const s of symbolsOf(source)) {
      if (s.role === "function") {
        if (!Object.hasOwn(this.functions, s.name) && !BUILTINS.has(s.name)) {
          errors.push({
            code: this.kind.invalid,
            message: `${this.kind.name} calls ${s.name}(), which is not a known function`,
            offset: s.offset,
            hint: `functions: ${[...Object.keys(this.functions), ...BUILTINS].join(", ")}`,
          });
        }
      } else if (s.role === "member" ? !this.fields.members.has(s.name) : !this.fields.paths.has(s.name)) {
        errors.push({
          code: this.kind.unknownField,
          message: `${this.kind.name} names "${s.name}", which the profile schema does not have`,
          offset: s.offset,
          hint: nearest(s.name, this.fields.paths),
        });
      }
    }
    return errors;
  }
}

/** Functions the expression language itself provides. */
const BUILTINS = new Set([
  "abs",
  "ceil",
  "floor",
  "log",
  "log2",
  "log10",
  "max",
  "min",
  "round",
  "sqrt",
  "exists",
  "empty",
]);

/** A hint naming the known field closest to a misspelt one (edit distance), when one is close. */
function nearest(name: string, paths: ReadonlySet<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(3, Math.floor(name.length / 3)) + 1;
  for (const p of paths) {
    const d = editDistance(name, p);
    if (d < bestDistance) [best, bestDistance] = [p, d];
  }
  return best === undefined ? undefined : `did you mean "${best}"?`;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}
