export { type Block, type Flowable, type LayoutEnv, type PageInfo, type Split, atomic } from "./flowable.ts";
export { type Align, type Line, type Span, breakLines, linesHeight, naturalWidth, paintLines } from "./inline.ts";
export type { FontMetrics } from "./metrics.ts";
export {
  type FrameSpec,
  type LaidOutDocument,
  type LaidOutPage,
  type PageTemplate,
  composePages,
  paintDocument,
} from "./page.ts";
export type { BoxPaint, Grid, LinkTarget, Painter, Rect, TagOptions, TagRole, TextStyle } from "./painter.ts";
export { Stack, gapBetween } from "./stack.ts";
export { A4, mm, parseLength } from "./units.ts";
export { type WidthSpec, parseWidth, resolveWidths } from "./columns.ts";
