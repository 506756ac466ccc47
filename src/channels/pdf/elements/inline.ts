import { problem } from "../../../core/index.ts";
import type { LinkTarget, Span, TextStyle } from "../../../layout/index.ts";
import { type AttributeSpecs, checkAttributes, colour, size, str } from "../attributes.ts";
import type { MarkupElement } from "../markup.ts";
import type { Styles } from "../style.ts";
import type { BuildContext } from "./element.ts";

/** Inline elements: they style text inside paragraphs, headings, list items and table cells. */
export const INLINE_ATTRIBUTES: Readonly<Record<string, AttributeSpecs>> = {
  b: {},
  i: {},
  a: { href: { type: "string", required: true } },
  br: {},
  span: { colour, size, font: str },
};

const BOLD: Record<string, string> = { body: "bold", italic: "boldItalic", bold: "bold", boldItalic: "boldItalic" };
const ITALIC: Record<string, string> = {
  body: "italic",
  bold: "boldItalic",
  italic: "italic",
  boldItalic: "boldItalic",
};

/**
 * Collects the spans of an element's inline content. Whitespace collapses as in HTML; text stays text
 * whatever characters it holds.
 */
export function collectSpans(
  parent: MarkupElement,
  base: TextStyle,
  styles: Styles,
  ctx: Pick<BuildContext, "report">,
): Span[] {
  const out: Span[] = [];
  walkSpans(parent, base, undefined, { parent, styles, ctx, out });
  trimEnds(out);
  return out;
}

/** What walking an element's inline content needs besides the element and its style. */
interface SpanWalk {
  parent: MarkupElement;
  styles: Styles;
  ctx: Pick<BuildContext, "report">;
  out: Span[];
}

function walkSpans(el: MarkupElement, style: TextStyle, link: LinkTarget | undefined, walk: SpanWalk): void {
  const { parent, styles, ctx, out } = walk;
  for (const child of el.children) {
    if (child.kind === "text") {
      const text = collapseSpace(child.text);
      if (text !== "") out.push(link ? { text, style, link } : { text, style });
      continue;
    }
    const specs = INLINE_ATTRIBUTES[child.name];
    if (!specs) {
      ctx.report(
        problem(
          "OMD_PDF_MARKUP",
          `<${child.name}> cannot stand inside text of <${parent.name}>`,
          child.at,
          "inline elements: b, i, a, br, span",
        ),
      );
      continue;
    }
    for (const p of checkAttributes(child, specs, styles)) ctx.report(p);
    switch (child.name) {
      case "b":
        walkSpans(child, styles.get(BOLD[style.font] ?? "bold", style.size, style.color, style.underline), link, walk);
        break;
      case "i":
        walkSpans(
          child,
          styles.get(ITALIC[style.font] ?? "italic", style.size, style.color, style.underline),
          link,
          walk,
        );
        break;
      case "a":
        walkSpans(
          child,
          styles.get(style.font, style.size, styles.theme.colours.primary),
          { href: child.attrs.href ?? "", text: plainText(child) },
          walk,
        );
        break;
      case "br":
        out.push({ text: "\n", style });
        break;
      case "span":
        walkSpans(
          child,
          styles.get(
            child.attrs.font && ["body", "bold", "italic", "boldItalic"].includes(child.attrs.font)
              ? child.attrs.font
              : style.font,
            styles.size(child.attrs.size, style.size),
            styles.colour(child.attrs.colour, style.color),
          ),
          link,
          walk,
        );
        break;
    }
  }
}

/** The text an element holds, whitespace collapsed as it prints: what a link says, for screen readers. */
function plainText(el: MarkupElement): string {
  const parts: string[] = [];
  const walk = (e: MarkupElement) => {
    for (const child of e.children) {
      if (child.kind === "text") parts.push(child.text);
      else if (child.name === "br") parts.push(" ");
      else walk(child);
    }
  };
  walk(el);
  return parts.join("").replace(/\s+/g, " ").trim();
}

/** Runs of white space as one space, as in HTML; a run holding a no-break space stays as it is. */
const collapseSpace = (text: string): string =>
  text.includes("\u00a0")
    ? text.replace(/\s+/g, (ws) => (ws.includes("\u00a0") ? ws : " "))
    : text.replace(/\s+/g, " ");

const SPACE = 0x20;

function trimEnds(spans: Span[]): void {
  while (spans.length > 0 && spans[0].text.trimStart() === "" && spans[0].text !== "\n") spans.shift();
  if (spans.length > 0 && spans[0].text.charCodeAt(0) === SPACE)
    spans[0] = { ...spans[0], text: spans[0].text.replace(/^ +/, "") };
  while (spans.length > 0 && spans[spans.length - 1].text.trimEnd() === "" && spans[spans.length - 1].text !== "\n")
    spans.pop();
  const last = spans.length - 1;
  if (last >= 0 && spans[last].text.charCodeAt(spans[last].text.length - 1) === SPACE)
    spans[last] = { ...spans[last], text: spans[last].text.replace(/ +$/, "") };
}
