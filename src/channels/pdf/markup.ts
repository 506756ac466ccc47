import { Parser } from "htmlparser2";
import { type Problem, type Result, fail, ok, problem } from "../../core/index.ts";

/** An element of the layout markup, with where it starts in the merged markup (`line:column`). */
export interface MarkupElement {
  kind: "element";
  name: string;
  attrs: Readonly<Record<string, string>>;
  children: MarkupNode[];
  at: string;
}

export interface MarkupText {
  kind: "text";
  text: string;
}

export type MarkupNode = MarkupElement | MarkupText;

/**
 * Parses the markup a template produced (Handlebars output) into a tree. The parser runs in XML mode and
 * decodes entities into text: data that Handlebars escaped (`&lt;/p&gt;&lt;page-break/&gt;`) becomes
 * characters inside a text node, never an element.
 */
export function parseMarkup(markup: string, source: string): Result<MarkupElement> {
  const problems: Problem[] = [];
  const lineStarts = [0];
  for (let i = markup.indexOf("\n"); i !== -1; i = markup.indexOf("\n", i + 1)) lineStarts.push(i + 1);
  const where = (index: number): string => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return `${source}:${lo + 1}:${index - lineStarts[lo] + 1}`;
  };
  const root: MarkupElement = { kind: "element", name: "#root", attrs: {}, children: [], at: `${source}:1:1` };
  const open: MarkupElement[] = [root];
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        const el: MarkupElement = { kind: "element", name, attrs, children: [], at: where(parser.startIndex) };
        open[open.length - 1].children.push(el);
        open.push(el);
      },
      ontext(text) {
        const top = open[open.length - 1];
        const last = top.children[top.children.length - 1];
        if (last?.kind === "text") last.text += text;
        else top.children.push({ kind: "text", text });
      },
      onclosetag(name, implied) {
        const el = open.pop();
        // Self-closing tags (`<br/>`) close "implied" too; only a tag left open is a problem.
        const selfClosing = markup.slice(parser.startIndex, parser.endIndex + 1).endsWith("/>");
        if (implied && el && !selfClosing)
          problems.push(problem("OMD_PDF_MARKUP", `<${el.name}> is not closed`, el.at, `close it with </${el.name}>`));
        else if (el && el.name !== name)
          problems.push(problem("OMD_PDF_MARKUP", `</${name}> closes <${el.name}>`, where(parser.startIndex)));
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.end(markup);
  const elements = root.children.filter((c): c is MarkupElement => c.kind === "element");
  const stray = root.children.some((c) => c.kind === "text" && c.text.trim() !== "");
  if (elements.length !== 1 || elements[0].name !== "document" || stray)
    problems.push(problem("OMD_PDF_MARKUP", "the markup must be one <document> element", `${source}:1:1`));
  return problems.length > 0 ? fail(...problems) : ok(elements[0]);
}

/** The element children of a node. */
export const childElements = (el: MarkupElement): MarkupElement[] =>
  el.children.filter((c): c is MarkupElement => c.kind === "element");
