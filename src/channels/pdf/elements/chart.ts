import { problem } from "../../../core/index.ts";
import { atomic } from "../../../layout/index.ts";
import { SPACING, len, oneOf, str } from "../attributes.ts";
import { type ElementKind, spacing } from "./element.ts";

/** Chart sizes in points when the markup gives none. */
export const CHART_DEFAULT = { width: 480, height: 190 } as const;

/**
 * `<chart kind="usage" height="60mm" alt="…"/>`: the customer's 12-month usage bars with the peer average,
 * drawn straight into the page as vectors with selectable text (see prepareCharts).
 */
export const chart: ElementKind = {
  name: "chart",
  summary: "the usage chart as vectors, text selectable; alt text defaults to the chart's summary",
  attributes: { kind: oneOf("usage"), width: len, height: len, alt: str, ...SPACING },
  build(el, a, ctx) {
    const prepared = ctx.charts.get(el);
    if (!prepared) ctx.report(problem("OMD_PDF_MARKUP", "<chart> could not be drawn", el.at));
    const alt = a.string("alt") ?? prepared?.alt ?? "";
    const space = spacing(a, ctx.styles.theme.spacing.unit, ctx.styles.theme.spacing.paragraph);
    return {
      layout(width) {
        const w = Math.min(a.length("width") ?? width, width);
        const h = a.length("height") ?? (w * CHART_DEFAULT.height) / CHART_DEFAULT.width;
        return atomic(
          h,
          (painter, x, y) => {
            if (prepared)
              painter.tag("Figure", { alt }, () =>
                painter.chart({ x, y, width: w, height: h }, prepared.size, prepared.text, prepared.draw),
              );
          },
          space,
        );
      },
    };
  },
};
