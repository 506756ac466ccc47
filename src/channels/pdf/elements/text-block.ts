import {
  type Align,
  type Flowable,
  type Line,
  type Painter,
  type PageInfo,
  type Split,
  type TagRole,
  linesHeight,
  paintLines,
} from "../../../layout/index.ts";

export interface TextBlockOptions {
  align: Align;
  role: TagRole;
  spaceBefore: number;
  spaceAfter: number;
  keepWithNext?: boolean;
  /** Fewest lines left at the bottom of a page (orphans) and carried to the next (widows). */
  orphans?: number;
  widows?: number;
  /** Painted before the text, on its first line only (a list bullet), with the text indented by `indent`. */
  label?: { lines: Line[]; indent: number };
  /** Structure element shared by the fragments of one paragraph split across pages. */
  key?: object;
  /** Where the element was written, for problems. */
  at?: string;
}

/** Lines of text, split between lines with widow and orphan control: paragraphs, headings, list items. */
export class TextBlock implements Flowable {
  readonly height: number;
  readonly spaceBefore: number;
  readonly spaceAfter: number;
  readonly keepWithNext?: boolean;

  constructor(
    readonly lines: readonly Line[],
    readonly width: number,
    readonly options: TextBlockOptions,
  ) {
    this.height = linesHeight(lines);
    this.spaceBefore = options.spaceBefore;
    this.spaceAfter = options.spaceAfter;
    this.keepWithNext = options.keepWithNext;
  }

  split(available: number, force: boolean): Split | null {
    const orphans = this.options.orphans ?? 2;
    const widows = this.options.widows ?? 2;
    let fit = 0;
    let h = 0;
    while (fit < this.lines.length && h + this.lines[fit].height <= available) h += this.lines[fit++].height;
    if (fit >= this.lines.length) return { head: this, tail: null };
    if (this.lines.length - fit < widows) fit = this.lines.length - widows;
    if (fit < orphans || fit < 1) {
      if (!force) return null;
      fit = Math.max(1, Math.min(fit, this.lines.length - 1));
    }
    const key = this.options.key ?? {};
    const head = new TextBlock(this.lines.slice(0, fit), this.width, { ...this.options, key, spaceAfter: 0 });
    const rest = new TextBlock(this.lines.slice(fit), this.width, {
      ...this.options,
      key,
      label: undefined,
      spaceBefore: 0,
    });
    return { head, tail: rest };
  }

  paint(painter: Painter, x: number, y: number, _page: PageInfo): void {
    const { label, role, align, key, at } = this.options;
    const indent = label?.indent ?? 0;
    const text = () => paintLines(painter, this.lines, x + indent, y, this.width - indent, align);
    if (!label) {
      painter.tag(role, { key, at }, text);
      return;
    }
    painter.tag("LI", {}, () => {
      painter.tag("Lbl", {}, () => paintLines(painter, label.lines, x, y, indent, "left"));
      painter.tag(role, { key }, text);
    });
  }
}
