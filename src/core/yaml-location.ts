import type { ErrorObject } from "ajv";
import { type Document, LineCounter, isNode, isScalar, parseDocument } from "yaml";
import { type Problem, type ProblemCode, type Result, fail, ok, problem } from "./problem.ts";

/**
 * Turns places in a parsed YAML file into `file:line:column` for problems: a node found by its path, or
 * a character inside a scalar's value (an expression), mapped back through quotes, escapes and folding.
 */
export class YamlLocator {
  constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  at(offset: number): string {
    const { line, col } = this.lines.linePos(offset);
    return `${this.file}:${line}:${col}`;
  }

  /** The deepest node on `path` that exists (so a missing key points at its parent). */
  node(path: readonly (string | number)[]): string {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = depth === 0 ? this.doc.contents : this.doc.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) return this.at(node.range[0]);
    }
    return `${this.file}:1:1`;
  }

  /**
   * The source position of character `offset` of a scalar's value. Non-space characters of the value are
   * matched in order against the source, so quotes, escapes, block headers and indentation are skipped.
   */
  inScalar(path: readonly (string | number)[], offset: number): string {
    const node = this.doc.getIn(path, true);
    if (!isScalar(node) || !node.range || typeof node.value !== "string") return this.node(path);
    const value = node.value;
    let src = node.range[0];
    const end = node.range[1];
    for (let i = 0; i <= Math.min(offset, value.length - 1); i++) {
      if (/\s/.test(value[i])) continue;
      while (src < end && this.text[src] !== value[i]) src++;
      if (i < offset) src++;
    }
    // Past the last character (an error at the end of the expression): just after it.
    return this.at(Math.min(src, end));
  }
}

/** A YAML text parsed with a locator, or its syntax errors as problems with `code`. */
export function parseYaml(
  file: string,
  text: string,
  code: ProblemCode,
): Result<{ value: unknown; locate: YamlLocator }> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const locate = new YamlLocator(file, text, doc, lines);
  if (doc.errors.length > 0)
    return fail(
      ...doc.errors.map((e) => problem(code, `not valid YAML: ${e.message.split("\n")[0]}`, locate.at(e.pos[0]))),
    );
  return ok({ value: doc.toJS(), locate });
}

/**
 * An ajv error of a schema checked against a YAML file, as a problem at the node it concerns: the dotted
 * path, the rule broken, and `subject` naming the whole file ("the catalogue") when the error is at its root.
 */
export function schemaProblem(code: ProblemCode, e: ErrorObject, locate: YamlLocator, subject: string): Problem {
  const path = e.instancePath
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^[0-9]+$/.test(s) ? Number(s) : s));
  const params = e.params as Record<string, unknown>;
  const what = e.instancePath === "" ? subject : e.instancePath.slice(1).replace(/\//g, ".");
  let message = `${what} ${e.message ?? `breaks rule ${e.keyword}`}`;
  if (e.keyword === "enum") message = `${what} must be one of ${(params.allowedValues as unknown[]).join(", ")}`;
  if (e.keyword === "additionalProperties") {
    message = `${what} has an unknown key "${params.additionalProperty}"`;
    path.push(params.additionalProperty as string);
  }
  return problem(code, message, locate.node(path));
}
