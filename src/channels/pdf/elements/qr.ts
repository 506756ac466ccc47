import { qrMatrix, qrRuns } from "../../../assets/qr/index.ts";
import { atomic } from "../../../layout/index.ts";
import { SPACING, colour, len, required, str } from "../attributes.ts";
import { type ElementKind, spacing } from "./element.ts";

/**
 * `<qr data="{{links.pay}}" size="28mm" alt="…"/>`: a QR code of vector modules with its quiet zone, one
 * rectangle per run of dark modules. 28 mm at print keeps a module over 0.4 mm for long signed links.
 */
export const qr: ElementKind = {
  name: "qr",
  summary: "a QR code for data (a link), vector modules with a quiet zone",
  attributes: { data: required(str), size: len, colour, alt: str, ...SPACING },
  build(_el, a, ctx) {
    const geometry = qrRuns(qrMatrix(a.string("data") ?? ""));
    const dark = ctx.styles.colour(a.string("colour"), "#000000");
    const alt = a.string("alt") ?? a.string("data") ?? "";
    const space = spacing(a, 0, ctx.styles.theme.spacing.paragraph);
    return {
      layout(width) {
        const side = Math.min(a.length("size") ?? 80, width);
        const unit = side / geometry.span;
        return atomic(
          side,
          (painter, x, y) =>
            painter.tag("Figure", { alt }, () => {
              painter.rect({ x, y, width: side, height: side }, { fill: "#FFFFFF" });
              painter.rects(
                geometry.runs.map((r) => ({
                  x: x + r.col * unit,
                  y: y + r.row * unit,
                  width: r.length * unit,
                  height: unit,
                })),
                dark,
              );
            }),
          space,
        );
      },
    };
  },
};
