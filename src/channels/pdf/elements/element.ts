import type { ChartPen, ChartSize } from "../../../assets/chart/index.ts";
import type { Problem } from "../../../core/index.ts";
import type { Block, Span, TextStyle } from "../../../layout/index.ts";
import type { AttributeSpecs, Attrs } from "../attributes.ts";
import type { MarkupElement } from "../markup.ts";
import type { Styles } from "../style.ts";

/**
 * A chart made ready before building: the size it is laid out in, the face and size of its texts, how it draws
 * its marks with a pen (`Painter.chart`), its text alternative.
 */
export interface PreparedChart {
  size: ChartSize;
  text: { face: string; size: number };
  draw: (pen: ChartPen, measure: (text: string) => number) => void;
  alt: string;
}

/** What an element needs while it turns markup into a block. */
export interface BuildContext {
  readonly styles: Styles;
  /** Block children of an element, each built by its kind. */
  blocks(parent: MarkupElement): Block[];
  /** Inline content (text, `<b>`, `<i>`, `<a>`, `<br/>`, `<span>`) of an element, in `base` style. */
  spans(parent: MarkupElement, base: TextStyle): Span[];
  /** Charts drawn for this document, by their element. */
  readonly charts: ReadonlyMap<MarkupElement, PreparedChart>;
  /** Images of the template package by path: raster bytes, or SVG text. */
  readonly images: ReadonlyMap<string, Uint8Array | string>;
  report(p: Problem): void;
}

/**
 * One kind of markup element: the attributes it declares (checked before it is built) and how it becomes a
 * block that measures, splits and paints itself. Adding an element is adding one of these to the registry.
 */
export interface ElementKind {
  readonly name: string;
  readonly attributes: AttributeSpecs;
  /** One line for the documentation and lint output. */
  readonly summary: string;
  build(el: MarkupElement, attrs: Attrs, ctx: BuildContext): Block;
}

/** Space before and after a block from its attributes, or the element's defaults. */
export function spacing(a: Attrs, before: number, after: number): { before: number; after: number } {
  return { before: a.length("space-before") ?? before, after: a.length("space-after") ?? after };
}
