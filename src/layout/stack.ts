import type { Flowable, PageInfo, Split } from "./flowable.ts";
import type { Painter } from "./painter.ts";

/** The space between two neighbouring blocks: the larger of the one's space after and the other's before. */
export const gapBetween = (a: Flowable, b: Flowable): number => Math.max(a.spaceAfter ?? 0, b.spaceBefore ?? 0);

/** Whether `f` can begin in `room` points (whole, or a head of it). */
const canStartIn = (f: Flowable, room: number): boolean =>
  f.height <= room || (room > 0 && f.split(room, false) !== null);

/**
 * Blocks one under the other: the flow of a page region, a column, the inside of a box. Splitting fills the
 * head in order, divides the first block that does not fit when it can, honours explicit page breaks and
 * keeps a heading with what follows it.
 */
export class Stack implements Flowable {
  readonly height: number;
  readonly spaceBefore?: number;
  readonly spaceAfter?: number;

  constructor(readonly items: readonly Flowable[]) {
    let h = 0;
    items.forEach((item, i) => {
      h += (i > 0 ? gapBetween(items[i - 1], item) : 0) + item.height;
    });
    this.height = h;
    this.spaceBefore = items[0]?.spaceBefore;
    this.spaceAfter = items[items.length - 1]?.spaceAfter;
  }

  split(available: number, force: boolean): Split | null {
    const placed: Flowable[] = [];
    let y = 0;
    const rest = (from: number, first?: Flowable | null): Flowable | null => {
      const items = [...(first ? [first] : []), ...this.items.slice(from)];
      return items.length > 0 ? new Stack(items) : null;
    };
    for (let i = 0; i < this.items.length; i++) {
      const item = this.items[i];
      if (item.pageBreak) {
        if (placed.length === 0) continue;
        return { head: new Stack(placed), tail: rest(i + 1) };
      }
      const top = placed.length > 0 ? y + gapBetween(placed[placed.length - 1], item) : 0;
      const next = this.items[i + 1];
      if (top + item.height <= available) {
        const keepFails =
          item.keepWithNext &&
          next &&
          !next.pageBreak &&
          !canStartIn(next, available - top - item.height - gapBetween(item, next));
        if (!keepFails || placed.length === 0) {
          placed.push(item);
          y = top + item.height;
          continue;
        }
        return { head: new Stack(placed), tail: rest(i) };
      }
      const mustPlace = force && placed.length === 0;
      const s = item.split(available - top, mustPlace);
      if (s) {
        placed.push(s.head);
        return { head: new Stack(placed), tail: rest(i + 1, s.tail) };
      }
      if (placed.length > 0) return { head: new Stack(placed), tail: rest(i) };
      if (!mustPlace) return null;
      // Taller than a whole region and indivisible: it goes in whole; the page composer reports the overflow.
      return { head: new Stack([item]), tail: rest(i + 1) };
    }
    return { head: this, tail: null };
  }

  paint(painter: Painter, x: number, y: number, page: PageInfo): void {
    let top = y;
    this.items.forEach((item, i) => {
      if (i > 0) top += gapBetween(this.items[i - 1], item);
      item.paint(painter, x, top, page);
      top += item.height;
    });
  }
}
