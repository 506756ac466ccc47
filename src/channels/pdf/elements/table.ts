import { problem } from "../../../core/index.ts";
import {
  type Align,
  type LayoutEnv,
  type Span,
  type WidthSpec,
  breakLines,
  naturalWidth,
  parseWidth,
  resolveWidths,
} from "../../../layout/index.ts";
import { SPACING, bool, colour, str } from "../attributes.ts";
import { type MarkupElement, childElements } from "../markup.ts";
import { LINE_HEIGHT } from "../style.ts";
import { type ElementKind, spacing } from "./element.ts";
import { type LaidCell, type LaidRow, type RowKind, TableFlowable, type TableLook, rowHeight } from "./table-flow.ts";

interface CellSource {
  spans: Span[];
  span: number;
  align?: Align;
  /** A `<th>`: heads its column in the header rows, its row in the others. */
  header: boolean;
}

interface RowSource {
  kind: RowKind;
  cells: CellSource[];
}

const ROW_KINDS: readonly string[] = ["body", "subtotal", "total"];
const ALIGNS: readonly string[] = ["left", "center", "right"];

/**
 * `<table widths="1fr auto 25mm" align="left right right" zebra="true">` with `<thead><tr><th>…</th></tr></thead>`
 * then `<tr>` rows of `<td>` cells (`span="2"` to span columns), `<tr kind="total">` for totals.
 */
export const table: ElementKind = {
  name: "table",
  summary: "rows of cells; header rows repeat on every page; totals rows; widths fixed, %, fr or auto",
  attributes: { widths: str, align: str, zebra: bool, "header-background": colour, ...SPACING },
  build(el, a, ctx) {
    const theme = ctx.styles.theme;
    const body = ctx.styles.body;
    const headerStyle = ctx.styles.get("bold", theme.sizes.body, "#FFFFFF");
    const totalStyle = ctx.styles.get("bold", theme.sizes.body, theme.colours.text);
    const rows: RowSource[] = [];
    const readRow = (tr: MarkupElement, header: boolean) => {
      const kind = (header ? "header" : (tr.attrs.kind ?? "body")) as RowKind;
      if (!header && !ROW_KINDS.includes(kind))
        ctx.report(
          problem("OMD_PDF_MARKUP", `<tr kind="${tr.attrs.kind}">: must be one of ${ROW_KINDS.join(", ")}`, tr.at),
        );
      const style = header ? headerStyle : kind === "total" ? totalStyle : body;
      const cells = childElements(tr).flatMap((td) => {
        if (td.name !== "td" && td.name !== "th") {
          ctx.report(problem("OMD_PDF_MARKUP", `<tr> holds <td> or <th>, not <${td.name}>`, td.at));
          return [];
        }
        const span = Number(td.attrs.span ?? "1");
        const align = td.attrs.align;
        if (align !== undefined && !ALIGNS.includes(align))
          ctx.report(problem("OMD_PDF_MARKUP", `<${td.name} align="${align}">: must be left, center or right`, td.at));
        return [
          {
            spans: ctx.spans(td, td.name === "th" && !header ? totalStyle : style),
            span: Number.isInteger(span) && span > 0 ? span : 1,
            align: align as Align | undefined,
            header: header || td.name === "th",
          },
        ];
      });
      rows.push({ kind, cells });
    };
    for (const child of childElements(el)) {
      if (child.name === "thead") for (const tr of childElements(child)) readRow(tr, true);
      else if (child.name === "tr") readRow(child, false);
      else ctx.report(problem("OMD_PDF_MARKUP", `<table> holds <thead> and <tr>, not <${child.name}>`, child.at));
    }
    const columns = Math.max(0, ...rows.map((r) => r.cells.reduce((n, c) => n + c.span, 0)));
    // Every row spans every column (PDF/UA: a table's rows agree on their columns): a short row's last cell
    // reaches to the table's right edge.
    for (const r of rows) {
      const short = columns - r.cells.reduce((n, c) => n + c.span, 0);
      const last = r.cells[r.cells.length - 1];
      if (short > 0 && last) r.cells[r.cells.length - 1] = { ...last, span: last.span + short };
    }
    const widthWords = (a.string("widths") ?? "").split(/\s+/).filter(Boolean);
    const specs: WidthSpec[] = Array.from({ length: columns }, (_, i) => {
      const spec = widthWords[i] === undefined ? { fr: 1 } : parseWidth(widthWords[i]);
      if (!spec) ctx.report(problem("OMD_PDF_MARKUP", `<table widths>: "${widthWords[i]}" is not a width`, el.at));
      return spec ?? { fr: 1 };
    });
    const alignWords = (a.string("align") ?? "").split(/\s+/).filter(Boolean);
    for (const w of alignWords)
      if (!ALIGNS.includes(w))
        ctx.report(problem("OMD_PDF_MARKUP", `<table align>: "${w}" is not left, center or right`, el.at));
    const alignOf = (col: number): Align => (ALIGNS.includes(alignWords[col]) ? (alignWords[col] as Align) : "left");
    const zebra = a.boolean("zebra") ? theme.colours.surface : undefined;
    const space = spacing(a, theme.spacing.unit, theme.spacing.paragraph);
    const padX = theme.spacing.unit * 1.25;
    const padY = theme.spacing.unit * 0.75;

    return {
      layout(width: number, env: LayoutEnv) {
        const natural = (col: number) =>
          Math.max(
            0,
            ...rows.map((r) => {
              let at = 0;
              for (const c of r.cells) {
                if (at === col && c.span === 1) return naturalWidth(c.spans, env) + 2 * padX + 0.5;
                at += c.span;
              }
              return 0;
            }),
          );
        const widths = resolveWidths(specs, width, natural);
        const xs = widths.map((_, i) => widths.slice(0, i).reduce((s, w) => s + w, 0));
        let bodyIndex = 0;
        const laid: LaidRow[] = rows.map((r) => {
          let col = 0;
          const cells: LaidCell[] = r.cells.map((c) => {
            const w = widths.slice(col, col + c.span).reduce((s, x) => s + x, 0);
            const cell: LaidCell = {
              x: xs[col] ?? 0,
              width: w,
              lines: breakLines(c.spans, Math.max(1, w - 2 * padX), env, LINE_HEIGHT),
              align: c.align ?? alignOf(col + c.span - 1),
              span: c.span,
              scope: c.header ? (r.kind === "header" ? "Column" : "Row") : undefined,
            };
            col += c.span;
            return cell;
          });
          return { kind: r.kind, cells, height: rowHeight(cells, padY), index: r.kind === "body" ? bodyIndex++ : 0 };
        });
        const look: TableLook = {
          width,
          padX,
          padY,
          zebra,
          headerFill: ctx.styles.colour(a.string("header-background"), theme.colours.primary),
          rule: theme.colours.border,
          strongRule: theme.colours.text,
          spaceBefore: space.before,
          spaceAfter: space.after,
        };
        return new TableFlowable(
          laid.filter((r) => r.kind === "header"),
          laid.filter((r) => r.kind !== "header"),
          look,
          {},
        );
      },
    };
  },
};
