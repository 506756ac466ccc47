import { problem } from "../../../core/index.ts";
import {
  type Block,
  type Flowable,
  type PageInfo,
  type Painter,
  type Split,
  Stack,
  type WidthSpec,
  parseWidth,
  resolveWidths,
} from "../../../layout/index.ts";
import { SPACING, len, oneOf } from "../attributes.ts";
import { childElements } from "../markup.ts";
import { type ElementKind, spacing } from "./element.ts";

interface Column {
  x: number;
  width: number;
  content: Flowable;
}

/** Columns side by side; kept on one page unless taller than a page, then each column splits at the same line. */
class RowFlowable implements Flowable {
  readonly height: number;
  constructor(
    private readonly columns: readonly Column[],
    private readonly valign: "top" | "middle" | "bottom",
    readonly spaceBefore: number,
    readonly spaceAfter: number,
  ) {
    this.height = Math.max(0, ...columns.map((c) => c.content.height));
  }
  split(available: number, force: boolean): Split | null {
    if (!force) return null;
    const parts = this.columns.map((c) => ({
      c,
      s: c.content.height <= available ? null : c.content.split(available, true),
    }));
    const head = parts.map(({ c, s }) => ({ ...c, content: s ? s.head : c.content }));
    const tail = parts.map(({ c, s }) => ({ ...c, content: s?.tail ?? new Stack([]) }));
    return {
      head: new RowFlowable(head, "top", this.spaceBefore, 0),
      tail: new RowFlowable(tail, "top", 0, this.spaceAfter),
    };
  }
  paint(painter: Painter, x: number, y: number, page: PageInfo): void {
    for (const c of this.columns) {
      const free = this.height - c.content.height;
      const dy = this.valign === "middle" ? free / 2 : this.valign === "bottom" ? free : 0;
      c.content.paint(painter, x + c.x, y + dy, page);
    }
  }
}

/** `<row gap="6mm"><column width="2fr">…</column><column width="45mm">…</column></row>` */
export const row: ElementKind = {
  name: "row",
  summary: "columns side by side; each <column width> is a length, a percentage, a fraction (2fr) or auto",
  attributes: { gap: len, valign: oneOf("top", "middle", "bottom"), ...SPACING },
  build(el, a, ctx) {
    const columns = childElements(el).flatMap((col) => {
      if (col.name !== "column") {
        ctx.report(problem("OMD_PDF_MARKUP", `<row> holds <column> elements, not <${col.name}>`, col.at));
        return [];
      }
      const extra = Object.keys(col.attrs).filter((k) => k !== "width");
      if (extra.length > 0)
        ctx.report(problem("OMD_PDF_MARKUP", `<column> has no attribute "${extra[0]}"`, col.at, "known: width"));
      const width = parseWidth(col.attrs.width ?? "1fr");
      if (!width) ctx.report(problem("OMD_PDF_MARKUP", `<column width="${col.attrs.width}"> is not a width`, col.at));
      return [{ spec: width ?? ({ fr: 1 } as WidthSpec), blocks: ctx.blocks(col) as Block[] }];
    });
    const gap = a.length("gap") ?? ctx.styles.theme.spacing.unit * 3;
    const space = spacing(a, 0, ctx.styles.theme.spacing.paragraph);
    const valign = (a.string("valign") ?? "top") as "top" | "middle" | "bottom";
    return {
      layout(width, env) {
        const room = width - gap * Math.max(0, columns.length - 1);
        const widths = resolveWidths(
          columns.map((c) => c.spec),
          room,
          () => room / columns.length,
        );
        let x = 0;
        const laid = columns.map((c, i) => {
          const col = { x, width: widths[i], content: new Stack(c.blocks.map((b) => b.layout(widths[i], env))) };
          x += widths[i] + gap;
          return col;
        });
        return new RowFlowable(laid, valign, space.before, space.after);
      },
    };
  },
};
