import type { Problem } from "../core/index.ts";
import type { FontMetrics } from "./metrics.ts";
import type { Painter } from "./painter.ts";

/** Which page is being painted, known only once pagination is finished (for `Page X of Y`). */
export interface PageInfo {
  number: number;
  count: number;
}

/** What a block needs to lay itself out. */
export interface LayoutEnv {
  metrics: FontMetrics;
  /** Non-fatal findings (a missing glyph, an overflowing frame). */
  warn(p: Problem): void;
}

/** The first part that fits, and what is left for the next region (null when nothing is left). */
export interface Split {
  head: Flowable;
  tail: Flowable | null;
}

/**
 * A block laid out at a width: it knows its height, how to split across regions and how to paint itself.
 * Flowables are immutable; splitting makes new ones.
 */
export interface Flowable {
  readonly height: number;
  /** Space wanted above and below; between two blocks the larger of the two is used, none at a region's top. */
  readonly spaceBefore?: number;
  readonly spaceAfter?: number;
  /** Never leave this block last in a region when the next block could follow it (headings). */
  readonly keepWithNext?: boolean;
  /** An explicit break: the next block starts a new region. */
  readonly pageBreak?: boolean;
  /**
   * Splits so the head fits in `available` points. Returns null when no acceptable head fits (the block
   * moves whole to the next region). With `force` (the region is empty and the block is taller than it),
   * returns a head if the block can be divided at all.
   */
  split(available: number, force: boolean): Split | null;
  paint(painter: Painter, x: number, y: number, page: PageInfo): void;
}

/** A block before layout: a width makes it a Flowable. */
export interface Block {
  layout(width: number, env: LayoutEnv): Flowable;
}

/** A flowable that never splits (images, charts, QR codes, spacers). */
export function atomic(
  height: number,
  paint: Flowable["paint"],
  space?: { before?: number; after?: number },
): Flowable {
  return { height, spaceBefore: space?.before, spaceAfter: space?.after, split: () => null, paint };
}
