import type { Align } from "../../../layout/index.ts";
import { fillLabel } from "../../../view/index.ts";
import { SPACING, colour, oneOf, size, str } from "../attributes.ts";
import { LINE_HEIGHT } from "../style.ts";
import { type ElementKind, spacing } from "./element.ts";

/**
 * `<page-number format="{{labels.pageOf}}"/>` with `{page}` and `{pages}` in the format: filled at paint time,
 * once the page count is known. For running headers and footers.
 */
export const pageNumber: ElementKind = {
  name: "page-number",
  summary: "`Page {page} of {pages}` in the given format, filled once the page count is known",
  attributes: { format: str, align: oneOf("left", "center", "right"), size, colour, ...SPACING },
  build(_el, a, ctx) {
    const theme = ctx.styles.theme;
    const style = ctx.styles.get(
      "body",
      ctx.styles.size(a.string("size"), theme.sizes.small),
      ctx.styles.colour(a.string("colour"), theme.colours.muted),
    );
    const format = a.string("format") ?? "{page} / {pages}";
    const align = (a.string("align") ?? "right") as Align;
    const space = spacing(a, 0, 0);
    return {
      layout(width, env) {
        const height = style.size * LINE_HEIGHT;
        const ascent = env.metrics.ascent(style.font, style.size);
        const descent = env.metrics.descent(style.font, style.size);
        return {
          height,
          spaceBefore: space.before,
          spaceAfter: space.after,
          split: () => null,
          paint(painter, x, y, page) {
            const text = fillLabel(format, { page: page.number, pages: page.count });
            const w = env.metrics.width(text, style.font, style.size);
            const dx = align === "right" ? width - w : align === "center" ? (width - w) / 2 : 0;
            painter.text(text, x + dx, y + (height - ascent - descent) / 2 + ascent, w, style);
          },
        };
      },
    };
  },
};
