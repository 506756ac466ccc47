import { QR_MIN_MODULE, type QrFit, fitQr, qrSymbols } from "../../../assets/qr/index.ts";
import { problem } from "../../../core/index.ts";
import { atomic } from "../../../layout/index.ts";
import { SPACING, colour, len, required, str } from "../attributes.ts";
import { type ElementKind, spacing } from "./element.ts";

const mm = (pt: number, digits = 1) => ((pt * 25.4) / 72).toFixed(digits);

/**
 * `<qr data="{{links.pay}}" size="26mm" alt="…"/>`: a QR code of vector modules with its 4-module quiet zone,
 * one rectangle per run of dark modules. `size` is the side wanted; a payload whose modules would come out
 * under QR_MIN_MODULE (0.51 mm, 3 pixels at 150 dpi) grows the code, as far as the width it is given, at
 * error-correction level M or else L. A code that cannot get such modules there is reported.
 */
export const qr: ElementKind = {
  name: "qr",
  summary: "a QR code for data (a link), vector modules with a quiet zone, grown until its modules scan at 150 dpi",
  attributes: { data: required(str), size: len, colour, alt: str, ...SPACING },
  build(el, a, ctx) {
    const data = a.string("data") ?? "";
    const dark = ctx.styles.colour(a.string("colour"), "#000000");
    const alt = a.string("alt") ?? data;
    const space = spacing(a, 0, ctx.styles.theme.spacing.paragraph);
    // A row or box may lay its content out more than once, at other widths: each level's symbol is made once.
    const symbols = qrSymbols(data);
    return {
      layout(width, env) {
        const { geometry, side, needed }: QrFit = fitQr(symbols, Math.min(a.length("size") ?? 80, width), width);
        if (needed > width)
          env.warn(
            problem(
              "OMD_PDF_QR_TOO_SMALL",
              `a QR code of ${data.length} characters needs ${mm(needed)} mm for modules of ${mm(QR_MIN_MODULE, 2)} mm but has ${mm(width)} mm`,
              el.at,
              "give its column more width, or shorten the link",
            ),
          );
        const unit = side / geometry.span;
        const cells = geometry.runs.map((r) => ({ x: r.col, y: r.row, width: r.length, height: 1 }));
        return atomic(
          side,
          (painter, x, y) =>
            painter.tag("Figure", { alt }, () => {
              painter.rect({ x, y, width: side, height: side }, { fill: "#FFFFFF" });
              painter.rects({ x, y, unit }, cells, dark);
            }),
          space,
        );
      },
    };
  },
};
