import { type Align, breakLines } from "../../../layout/index.ts";
import { SPACING, colour, oneOf, size } from "../attributes.ts";
import { type ElementKind, spacing } from "./element.ts";
import { TextBlock } from "./text-block.ts";

const LEVELS = { "1": "h1", "2": "h2", "3": "h3" } as const;

/**
 * `<heading level="2">Your charges</heading>`: bold, in the theme's size of its level unless `size` says
 * otherwise (the level is the document's outline, the size its look), kept with what follows.
 */
export const heading: ElementKind = {
  name: "heading",
  summary: "a heading of level 1 to 3 in the document's outline, kept on the page with the block after it",
  attributes: { level: oneOf("1", "2", "3"), size, colour, align: oneOf("left", "center", "right"), ...SPACING },
  build(el, a, ctx) {
    const level = (a.string("level") ?? "2") as keyof typeof LEVELS;
    const theme = ctx.styles.theme;
    const points = ctx.styles.size(a.string("size"), theme.sizes[LEVELS[level]]);
    const style = ctx.styles.get("bold", points, ctx.styles.colour(a.string("colour"), theme.colours.primary));
    const spans = ctx.spans(el, style);
    const space = spacing(a, level === "1" ? 0 : theme.spacing.section, theme.spacing.unit * 1.5);
    return {
      layout: (width, env) =>
        new TextBlock(breakLines(spans, width, env, 1.2), width, {
          align: (a.string("align") ?? "left") as Align,
          role: `H${level}`,
          spaceBefore: space.before,
          spaceAfter: space.after,
          keepWithNext: true,
          orphans: 1,
          widows: 1,
          at: el.at,
        }),
    };
  },
};
