import type { Align, Flowable, Line, PageInfo, Painter, Split } from "../../../layout/index.ts";
import { linesHeight, paintLines } from "../../../layout/index.ts";

export type RowKind = "header" | "body" | "subtotal" | "total";

export interface LaidCell {
  x: number;
  width: number;
  lines: readonly Line[];
  align: Align;
  /** Columns the cell spans. */
  span: number;
  /** A header cell, and whether it heads its column or its row. */
  scope?: "Column" | "Row";
}

export interface LaidRow {
  kind: RowKind;
  cells: readonly LaidCell[];
  height: number;
  /** Position among the body rows, for zebra stripes that stay right across pages. */
  index: number;
}

export interface TableLook {
  width: number;
  padX: number;
  padY: number;
  zebra?: string;
  headerFill: string;
  rule: string;
  strongRule: string;
  spaceBefore: number;
  spaceAfter: number;
}

export function rowHeight(cells: readonly LaidCell[], padY: number): number {
  return Math.max(0, ...cells.map((c) => linesHeight(c.lines))) + 2 * padY;
}

/**
 * A table laid out at a width. It splits between rows, repeating its header rows at the top of every
 * part; a row is divided only when it alone is taller than the region. Totals rows stay with the row above.
 */
export class TableFlowable implements Flowable {
  readonly height: number;
  readonly spaceBefore: number;
  readonly spaceAfter: number;

  constructor(
    private readonly header: readonly LaidRow[],
    private readonly rows: readonly LaidRow[],
    private readonly look: TableLook,
    private readonly key: object,
  ) {
    this.height = [...header, ...rows].reduce((h, r) => h + r.height, 0);
    this.spaceBefore = look.spaceBefore;
    this.spaceAfter = look.spaceAfter;
  }

  private part(rows: readonly LaidRow[], first: boolean, last: boolean): TableFlowable {
    const look = {
      ...this.look,
      spaceBefore: first ? this.look.spaceBefore : 0,
      spaceAfter: last ? this.look.spaceAfter : 0,
    };
    return new TableFlowable(this.header, rows, look, this.key);
  }

  split(available: number, force: boolean): Split | null {
    const headerHeight = this.header.reduce((h, r) => h + r.height, 0);
    let fit = 0;
    let h = headerHeight;
    while (fit < this.rows.length && h + this.rows[fit].height <= available) h += this.rows[fit++].height;
    if (fit >= this.rows.length) return { head: this, tail: null };
    while (fit > 1 && (this.rows[fit].kind === "total" || this.rows[fit].kind === "subtotal")) fit--;
    // Like a paragraph's orphans: a table does not start with a lone row at the foot of a page.
    if (fit === 1 && this.rows.length > 2 && !force) return null;
    if (fit > 0)
      return {
        head: this.part(this.rows.slice(0, fit), true, false),
        tail: this.part(this.rows.slice(fit), false, true),
      };
    if (!force) return null;
    const divided = divideRow(this.rows[0], available - headerHeight, this.look.padY);
    if (!divided) return { head: this.part(this.rows.slice(0, 1), true, false), tail: this.rest(1) };
    return {
      head: this.part([divided[0]], true, false),
      tail: this.part([divided[1], ...this.rows.slice(1)], false, true),
    };
  }

  private rest(from: number): TableFlowable | null {
    return from < this.rows.length ? this.part(this.rows.slice(from), false, true) : null;
  }

  paint(painter: Painter, x: number, y: number, _page: PageInfo): void {
    painter.tag("Table", { key: this.key }, () => {
      let top = y;
      for (const row of [...this.header, ...this.rows]) {
        this.paintRow(painter, row, x, top);
        top += row.height;
      }
      painter.artifact(() =>
        painter.rect({ x, y: top - 0.5, width: this.look.width, height: 0.5 }, { fill: this.look.rule }),
      );
    });
  }

  private paintRow(painter: Painter, row: LaidRow, x: number, y: number): void {
    const { width, padX, padY, zebra, headerFill, rule, strongRule } = this.look;
    painter.artifact(() => {
      const r = { x, y, width, height: row.height };
      if (row.kind === "header") painter.rect(r, { fill: headerFill });
      else if (zebra && row.kind === "body" && row.index % 2 === 1) painter.rect(r, { fill: zebra });
      if (row.kind === "total") painter.rect({ x, y, width, height: 1.2 }, { fill: strongRule });
      else if (row.kind === "subtotal") painter.rect({ x, y, width, height: 0.6 }, { fill: rule });
    });
    painter.tag("TR", {}, () => {
      for (const cell of row.cells) {
        const cellOptions = {
          ...(cell.scope ? { scope: cell.scope } : {}),
          ...(cell.span > 1 ? { colSpan: cell.span } : {}),
        };
        painter.tag(cell.scope ? "TH" : "TD", cellOptions, () =>
          paintLines(painter, cell.lines, x + cell.x + padX, y + padY, cell.width - 2 * padX, cell.align),
        );
      }
    });
  }
}

/** Divides a row taller than a region between lines; null when not even one line of each cell fits. */
function divideRow(row: LaidRow, available: number, padY: number): [LaidRow, LaidRow] | null {
  const room = available - 2 * padY;
  const heads: LaidCell[] = [];
  const tails: LaidCell[] = [];
  for (const cell of row.cells) {
    let n = 0;
    let h = 0;
    while (n < cell.lines.length && h + cell.lines[n].height <= room) h += cell.lines[n++].height;
    heads.push({ ...cell, lines: cell.lines.slice(0, n) });
    tails.push({ ...cell, lines: cell.lines.slice(n) });
  }
  if (heads.every((c) => c.lines.length === 0)) return null;
  return [
    { ...row, cells: heads, height: rowHeight(heads, padY) },
    { ...row, cells: tails, height: rowHeight(tails, padY) },
  ];
}
