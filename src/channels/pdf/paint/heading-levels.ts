import { type Problem, problem } from "../../../core/index.ts";

/**
 * The levels headings take in the structure tree, in the order they are painted, so that every document is
 * outlined as PDF/UA asks (Matterhorn 14-002, 14-003): the first heading is H1 and no heading goes more than
 * one level below the heading before it. A level as written is kept where the headings before it allow it;
 * otherwise the heading goes one level below the nearest heading of a higher written level, and the change
 * is reported, so that `omnidoc lint` shows the template's outline is wrong.
 */
export class HeadingLevels {
  /** The headings a new one may sit under, outermost first: their level as written and as tagged. */
  private readonly open: { written: number; tagged: number }[] = [];

  constructor(private readonly warn: (p: Problem) => void) {}

  /** The level to tag a heading written at `written` with; `at` is where it was written. */
  level(written: number, at?: string): number {
    while (this.open.length > 0 && this.open[this.open.length - 1].written >= written) this.open.pop();
    const tagged = (this.open[this.open.length - 1]?.tagged ?? 0) + 1;
    this.open.push({ written, tagged });
    if (tagged !== written)
      this.warn(
        problem(
          "OMD_PDF_HEADING_LEVEL",
          `a level-${written} heading has no level-${written - 1} heading above it: tagged H${tagged} for screen readers`,
          at,
          "the first heading is level 1 and each heading at most one level below the one before; set the look with size",
        ),
      );
    return tagged;
  }
}
