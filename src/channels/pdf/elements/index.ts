import { box } from "./box.ts";
import { chart } from "./chart.ts";
import type { ElementKind } from "./element.ts";
import { heading } from "./heading.ts";
import { image } from "./image.ts";
import { keepTogether } from "./keep-together.ts";
import { list } from "./list.ts";
import { pageBreak } from "./page-break.ts";
import { pageNumber } from "./page-number.ts";
import { paragraph } from "./paragraph.ts";
import { qr } from "./qr.ts";
import { row } from "./row.ts";
import { rule } from "./rule.ts";
import { spacer } from "./spacer.ts";
import { table } from "./table.ts";

/** Every block element of the markup, by name. A new element is one file and one entry here. */
export const ELEMENTS: ReadonlyMap<string, ElementKind> = new Map(
  [heading, paragraph, list, box, row, table, image, chart, qr, spacer, rule, keepTogether, pageBreak, pageNumber].map(
    (k) => [k.name, k],
  ),
);

export type { BuildContext, ElementKind, PreparedChart } from "./element.ts";
export { INLINE_ATTRIBUTES } from "./inline.ts";
export { CHART_DEFAULT } from "./chart.ts";
