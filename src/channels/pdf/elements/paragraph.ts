import { type Align, breakLines } from "../../../layout/index.ts";
import { SPACING, colour, num, oneOf, size } from "../attributes.ts";
import { LINE_HEIGHT } from "../style.ts";
import { type ElementKind, spacing } from "./element.ts";
import { TextBlock } from "./text-block.ts";

/** `<p>Text with <b>bold</b>, <i>italic</i> and <a href="…">links</a>.</p>` */
export const paragraph: ElementKind = {
  name: "p",
  summary: "a paragraph of inline text; never leaves fewer than 2 lines at a page's foot or head",
  attributes: {
    align: oneOf("left", "center", "right"),
    size,
    colour,
    weight: oneOf("normal", "bold"),
    "line-height": num,
    ...SPACING,
  },
  build(el, a, ctx) {
    const theme = ctx.styles.theme;
    const style = ctx.styles.get(
      a.string("weight") === "bold" ? "bold" : "body",
      ctx.styles.size(a.string("size"), theme.sizes.body),
      ctx.styles.colour(a.string("colour"), theme.colours.text),
    );
    const spans = ctx.spans(el, style);
    const space = spacing(a, 0, theme.spacing.paragraph);
    const lineHeight = a.number("line-height") ?? LINE_HEIGHT;
    return {
      layout: (width, env) =>
        new TextBlock(breakLines(spans, width, env, lineHeight), width, {
          align: (a.string("align") ?? "left") as Align,
          role: "P",
          spaceBefore: space.before,
          spaceAfter: space.after,
        }),
    };
  },
};
