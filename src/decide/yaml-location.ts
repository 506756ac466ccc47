import { type Document, LineCounter, isNode, isScalar } from "yaml";

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

export { LineCounter };
