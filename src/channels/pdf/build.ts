import { type Problem, problem } from "../../core/index.ts";
import { A4, type Block, type FrameSpec, type PageTemplate, Stack, parseLength } from "../../layout/index.ts";
import type { Theme } from "../../templates/index.ts";
import { Attrs, type AttributeSpecs, bool, checkAttributes, len, num, oneOf, required, str } from "./attributes.ts";
import { type BuildContext, ELEMENTS, type PreparedChart } from "./elements/index.ts";
import { collectSpans } from "./elements/inline.ts";
import { type MarkupElement, childElements } from "./markup.ts";
import { Styles } from "./style.ts";

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
    shrink: num,
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
  const check = (el: MarkupElement, specs: AttributeSpecs) => problems.push(...checkAttributes(el, specs, styles));

  /** A context building with `styles`, its problems going to `sink`. */
  const contextFor = (styles: Styles, sink: Problem[]): BuildContext => {
    const ctx: BuildContext = {
      styles,
      charts: inputs.charts,
      images: inputs.images,
      report: (p) => sink.push(p),
      spans: (parent, base) => collectSpans(parent, base, styles, ctx),
      blocks(parent) {
        const out: Block[] = [];
        for (const child of parent.children) {
          if (child.kind === "text") {
            if (child.text.trim() !== "")
              sink.push(
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
            sink.push(
              problem(
                "OMD_PDF_MARKUP",
                `<${child.name}> is not an element of the layout markup`,
                child.at,
                "see docs/pdf-markup.md",
              ),
            );
            continue;
          }
          for (const p of checkAttributes(child, kind.attributes, styles)) sink.push(p);
          out.push(kind.build(child, new Attrs(child), ctx));
        }
        return out;
      },
    };
    return ctx;
  };
  const ctx = contextFor(styles, problems);
  /** The same markup built smaller, for frames that shrink: its problems were reported at full size. */
  const scaled = (factor: number) => contextFor(new Styles(scaledTheme(styles.theme, factor)), []);

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
      const t = pageTemplate(el, ctx, scaled, check, problems);
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
  scaled: (factor: number) => BuildContext,
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
      const box = rect(child);
      frames.push({
        name: child.attrs.name ?? "",
        rect: box,
        content: frameContent(child, box.height, ctx, scaled),
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

/** Text sizes tried, largest first, for a frame that may shrink to fit: steps of 5%. */
const SHRINK_STEP = 0.05;
/** Below half size, text shrunk to fit no longer reads: the content wants rewriting, not shrinking. */
const MIN_SHRINK = 0.5;

/**
 * A frame's blocks; with `shrink="0.85"`, content too tall for the frame is laid out again with every theme
 * text size and spacing scaled down in steps, to no less than that factor, and the first that fits is used
 * (the envelope window: an address of long lines keeps to the window rather than running under the flap).
 * What still does not fit at the smallest is laid out at it and reported as an overflow.
 */
function frameContent(
  el: MarkupElement,
  height: number,
  ctx: BuildContext,
  scaled: (factor: number) => BuildContext,
): Block {
  const stack = (blocks: Block[]): Block => ({
    layout: (width, env) => new Stack(blocks.map((b) => b.layout(width, env))),
  });
  const full = stack(ctx.blocks(el));
  const least = new Attrs(el).number("shrink");
  if (least === undefined || least >= 1) return full;
  if (least < MIN_SHRINK) {
    ctx.report(problem("OMD_PDF_MARKUP", `<frame shrink="${least}">: must be from ${MIN_SHRINK} to 1`, el.at));
    return full;
  }
  return {
    layout(width, env) {
      let laid = full.layout(width, env);
      for (let f = 1 - SHRINK_STEP; laid.height > height && f >= least - 1e-9; f -= SHRINK_STEP)
        laid = stack(scaled(f).blocks(el)).layout(width, env);
      return laid;
    },
  };
}

/** The theme with its text sizes and spacing scaled by `factor`. */
function scaledTheme(theme: Theme, factor: number): Theme {
  const scale = <T extends Record<string, number>>(o: T) =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v * factor])) as T;
  return { ...theme, sizes: scale(theme.sizes), spacing: scale(theme.spacing) };
}
