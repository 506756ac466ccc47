import { problem } from "../../../core/index.ts";
import { type Flowable, type PageInfo, type Painter, Stack, breakLines } from "../../../layout/index.ts";
import { SPACING, colour, oneOf } from "../attributes.ts";
import { childElements } from "../markup.ts";
import { LINE_HEIGHT } from "../style.ts";
import { type ElementKind, spacing } from "./element.ts";
import { TextBlock } from "./text-block.ts";

/** The items of one list, tagged as one list element even when it continues on the next page. */
class ListFlowable extends Stack {
  constructor(
    items: readonly Flowable[],
    private readonly key: object,
  ) {
    super(items);
  }
  override split(available: number, force: boolean) {
    const s = super.split(available, force);
    if (!s) return null;
    const wrap = (f: Flowable | null) => (f instanceof Stack ? new ListFlowable(f.items, this.key) : f);
    return { head: wrap(s.head)!, tail: wrap(s.tail) };
  }
  override paint(painter: Painter, x: number, y: number, page: PageInfo): void {
    painter.tag("L", { key: this.key }, () => super.paint(painter, x, y, page));
  }
}

/** `<list type="bullet"><item>…</item></list>`: bulleted or numbered items of inline text. */
export const list: ElementKind = {
  name: "list",
  summary: "a bulleted or numbered list of <item> elements holding inline text",
  attributes: { type: oneOf("bullet", "number"), "bullet-colour": colour, ...SPACING },
  build(el, a, ctx) {
    const theme = ctx.styles.theme;
    const body = ctx.styles.body;
    const labelStyle = ctx.styles.get(
      "bold",
      body.size,
      ctx.styles.colour(a.string("bullet-colour"), theme.colours.primary),
    );
    const items = childElements(el).flatMap((item) => {
      if (item.name !== "item") {
        ctx.report(problem("OMD_PDF_MARKUP", `<list> holds <item> elements, not <${item.name}>`, item.at));
        return [];
      }
      return [ctx.spans(item, body)];
    });
    const numbered = a.string("type") === "number";
    const space = spacing(a, 0, theme.spacing.paragraph);
    const indent = body.size * (numbered ? 2 : 1.4);
    const gap = theme.spacing.unit / 2;
    return {
      layout(width, env) {
        const blocks = items.map(
          (spans, i) =>
            new TextBlock(breakLines(spans, width - indent, env, LINE_HEIGHT), width, {
              align: "left",
              role: "LBody",
              spaceBefore: i === 0 ? space.before : gap,
              spaceAfter: i === items.length - 1 ? space.after : gap,
              label: {
                lines: breakLines(
                  [{ text: numbered ? `${i + 1}.` : "•", style: labelStyle }],
                  indent,
                  env,
                  LINE_HEIGHT,
                ),
                indent,
              },
            }),
        );
        return new ListFlowable(blocks, {});
      },
    };
  },
};
