import { atomic } from "../../../layout/index.ts";
import { SPACING, colour, len } from "../attributes.ts";
import { type ElementKind, spacing } from "./element.ts";

/** `<rule colour="border"/>`: a horizontal line across the region. */
export const rule: ElementKind = {
  name: "rule",
  summary: "a horizontal line",
  attributes: { colour, thickness: len, ...SPACING },
  build(_el, a, ctx) {
    const theme = ctx.styles.theme;
    const stroke = ctx.styles.colour(a.string("colour"), theme.colours.border);
    const thickness = a.length("thickness") ?? 0.75;
    const space = spacing(a, theme.spacing.unit, theme.spacing.unit);
    return {
      layout: (width) =>
        atomic(
          thickness,
          (painter, x, y) => painter.artifact(() => painter.rect({ x, y, width, height: thickness }, { fill: stroke })),
          space,
        ),
    };
  },
};
