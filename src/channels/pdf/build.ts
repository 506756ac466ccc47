import { type Problem, problem } from "../../core/index.ts";
import { A4, type Block, type FrameSpec, type PageTemplate, Stack, parseLength } from "../../layout/index.ts";
import { Attrs, type AttributeSpecs, bool, checkAttributes, len, oneOf, required, str } from "./attributes.ts";
import { type BuildContext, ELEMENTS, type PreparedChart } from "./elements/index.ts";
import { collectSpans } from "./elements/inline.ts";
import { type MarkupElement, childElements } from "./markup.ts";
import type { Styles } from "./style.ts";

/** What a statement's markup describes: its metadata, its kinds of page and its flowing content. */
export interface BuiltDocument {
  title: string;
  subject: string;
  first: PageTemplate;
  rest: PageTemplate;
  body: Block;
}

/** The elements that shape the document rather than flow through it, with their attributes. */
export const STRUCTURE: Readonly<Record<string, AttributeSpecs>> = {
  document: { title: required(str), subject: str },
  "page-template": { for: oneOf("first", "rest", "all"), width: len, height: len },
  frame: {
    name: required(str),
    x: required(len),
    y: required(len),
    width: required(len),
    height: required(len),
    artifact: bool,
  },
  flow: { x: required(len), y: required(len), width: required(len), height: required(len) },
  body: {},
};

export interface BuildInputs {
  styles: Styles;
  charts: ReadonlyMap<MarkupElement, PreparedChart>;
  images: ReadonlyMap<string, Uint8Array | string>;
}

/** Turns the parsed markup into page templates and blocks, checking every element and attribute. */
export function buildDocument(root: MarkupElement, inputs: BuildInputs): { doc?: BuiltDocument; problems: Problem[] } {
  const problems: Problem[] = [];
  const { styles } = inputs;
  const colourNames = Object.keys(styles.theme.colours);
  const sizeNames = Object.keys(styles.theme.sizes);
  const check = (el: MarkupElement, specs: AttributeSpecs) =>
    problems.push(...checkAttributes(el, specs, colourNames, sizeNames));

  const ctx: BuildContext = {
    styles,
    charts: inputs.charts,
    images: inputs.images,
    report: (p) => problems.push(p),
    spans: (parent, base) => collectSpans(parent, base, styles, ctx),
    blocks(parent) {
      const out: Block[] = [];
      for (const child of parent.children) {
        if (child.kind === "text") {
          if (child.text.trim() !== "")
            problems.push(
              problem(
                "OMD_PDF_MARKUP",
                `text "${child.text.trim().slice(0, 30)}" must be inside <p> or another text element`,
                parent.at,
              ),
            );
          continue;
        }
        const kind = ELEMENTS.get(child.name);
        if (!kind) {
          problems.push(
            problem(
              "OMD_PDF_MARKUP",
              `<${child.name}> is not an element of the layout markup`,
              child.at,
              "see docs/pdf-markup.md",
            ),
          );
          continue;
        }
        check(child, kind.attributes);
        out.push(kind.build(child, new Attrs(child), ctx));
      }
      return out;
    },
  };

  check(root, STRUCTURE.document);
  if (root.attrs.title !== undefined && root.attrs.title.trim() === "")
    problems.push(
      problem("OMD_PDF_MARKUP", "<document title> is empty: readers show the title instead of the file name", root.at),
    );
  const templates: Partial<Record<"first" | "rest", PageTemplate>> = {};
  let body: Block | undefined;
  for (const el of childElements(root)) {
    if (el.name === "page-template") {
      check(el, STRUCTURE["page-template"]);
      const t = pageTemplate(el, ctx, check, problems);
      if (!t) continue;
      const use = el.attrs.for ?? "all";
      if (use !== "rest") templates.first = t;
      if (use !== "first") templates.rest = t;
    } else if (el.name === "body") {
      const blocks = ctx.blocks(el);
      body = { layout: (width, env) => new Stack(blocks.map((b) => b.layout(width, env))) };
    } else {
      problems.push(problem("OMD_PDF_MARKUP", `<document> holds <page-template> and <body>, not <${el.name}>`, el.at));
    }
  }
  const first = templates.first ?? templates.rest;
  const rest = templates.rest ?? templates.first;
  if (!first || !rest) problems.push(problem("OMD_PDF_MARKUP", "the document has no <page-template>", root.at));
  if (!body) problems.push(problem("OMD_PDF_MARKUP", "the document has no <body>", root.at));
  if (first && rest && Math.abs(first.flow.width - rest.flow.width) > 0.01)
    problems.push(
      problem("OMD_PDF_MARKUP", "the flow regions of the first and further pages must be equally wide", root.at),
    );
  if (problems.length > 0 || !first || !rest || !body) return { problems };
  return {
    doc: { title: root.attrs.title ?? "", subject: root.attrs.subject ?? "", first, rest, body },
    problems,
  };
}

function pageTemplate(
  el: MarkupElement,
  ctx: BuildContext,
  check: (el: MarkupElement, specs: AttributeSpecs) => void,
  problems: Problem[],
): PageTemplate | undefined {
  const frames: FrameSpec[] = [];
  let flow: PageTemplate["flow"] | undefined;
  const rect = (e: MarkupElement) => ({
    x: parseLength(e.attrs.x ?? "") ?? 0,
    y: parseLength(e.attrs.y ?? "") ?? 0,
    width: parseLength(e.attrs.width ?? "") ?? 0,
    height: parseLength(e.attrs.height ?? "") ?? 0,
  });
  for (const child of childElements(el)) {
    if (child.name === "frame") {
      check(child, STRUCTURE.frame);
      const blocks = ctx.blocks(child);
      frames.push({
        name: child.attrs.name ?? "",
        rect: rect(child),
        content: { layout: (width, env) => new Stack(blocks.map((b) => b.layout(width, env))) },
        artifact: child.attrs.artifact === "true",
        at: child.at,
      });
    } else if (child.name === "flow") {
      check(child, STRUCTURE.flow);
      if (flow) problems.push(problem("OMD_PDF_MARKUP", "a page template has one <flow> region", child.at));
      flow = rect(child);
    } else {
      problems.push(
        problem("OMD_PDF_MARKUP", `<page-template> holds <frame> and <flow>, not <${child.name}>`, child.at),
      );
    }
  }
  if (!flow) {
    problems.push(problem("OMD_PDF_MARKUP", "a page template needs a <flow> region", el.at));
    return undefined;
  }
  const a = new Attrs(el);
  return {
    name: el.attrs.for ?? "all",
    width: a.length("width") ?? A4.width,
    height: a.length("height") ?? A4.height,
    frames,
    flow,
  };
}
