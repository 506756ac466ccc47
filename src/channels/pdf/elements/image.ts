import { problem } from "../../../core/index.ts";
import { type Align, atomic } from "../../../layout/index.ts";
import { SPACING, len, oneOf, required, str } from "../attributes.ts";
import { type ElementKind, spacing } from "./element.ts";

/** `<image src="images/logo.svg" width="40mm" height="12mm" alt="Northwind Energy"/>`: a package image. */
export const image: ElementKind = {
  name: "image",
  summary: "an image of the template package (PNG, JPEG or SVG), fitted into width × height",
  attributes: {
    src: required(str),
    width: len,
    height: len,
    alt: str,
    align: oneOf("left", "center", "right"),
    ...SPACING,
  },
  build(el, a, ctx) {
    const src = a.string("src") ?? "";
    const data = ctx.images.get(src);
    if (data === undefined)
      ctx.report(
        problem(
          "OMD_PDF_MARKUP",
          `<image src="${src}">: the template package has no such image`,
          el.at,
          "put it under images/",
        ),
      );
    const alt = a.string("alt") ?? "";
    const align = (a.string("align") ?? "left") as Align;
    const space = spacing(a, 0, ctx.styles.theme.spacing.paragraph);
    return {
      layout(width) {
        const w = Math.min(a.length("width") ?? width, width);
        const h = a.length("height") ?? w / 3;
        const dx = align === "right" ? width - w : align === "center" ? (width - w) / 2 : 0;
        return atomic(
          h,
          (painter, x, y) => {
            if (data === undefined) return;
            const box = { x: x + dx, y, width: w, height: h };
            const paint = () => (typeof data === "string" ? painter.svg(data, box) : painter.image(data, box));
            // An image with no words for it is decoration: screen readers skip an artifact, not a Figure.
            if (alt.trim() === "") painter.artifact(paint);
            else painter.tag("Figure", { alt }, paint);
          },
          space,
        );
      },
    };
  },
};
