import type { Block, BoxPaint, Flowable, PageInfo, Painter, Split } from "../../../layout/index.ts";
import { Stack } from "../../../layout/index.ts";
import { SPACING, bool, colour, len } from "../attributes.ts";
import { type ElementKind, spacing } from "./element.ts";

interface BoxLook {
  padding: number;
  paint: BoxPaint;
  /** A bar down the left edge (an accent stripe on the hero offer). */
  accent?: { colour: string; width: number };
  keep: boolean;
  spaceBefore: number;
  spaceAfter: number;
}

/** A stack inside padding, a background and a border; split across pages, each part gets its own frame. */
class BoxFlowable implements Flowable {
  readonly height: number;
  readonly spaceBefore: number;
  readonly spaceAfter: number;

  constructor(
    private readonly inner: Flowable,
    private readonly width: number,
    private readonly look: BoxLook,
  ) {
    this.height = inner.height + 2 * look.padding;
    this.spaceBefore = look.spaceBefore;
    this.spaceAfter = look.spaceAfter;
  }

  split(available: number, force: boolean): Split | null {
    if (this.look.keep && !force) return null;
    const s = this.inner.split(available - 2 * this.look.padding, force);
    if (!s) return null;
    return {
      head: new BoxFlowable(s.head, this.width, { ...this.look, spaceAfter: 0 }),
      tail: s.tail ? new BoxFlowable(s.tail, this.width, { ...this.look, spaceBefore: 0 }) : null,
    };
  }

  paint(painter: Painter, x: number, y: number, page: PageInfo): void {
    const { padding, paint, accent } = this.look;
    painter.artifact(() => {
      if (paint.fill || paint.stroke) painter.rect({ x, y, width: this.width, height: this.height }, paint);
      if (accent) painter.rect({ x, y, width: accent.width, height: this.height }, { fill: accent.colour });
    });
    painter.tag("Div", {}, () => this.inner.paint(painter, x + padding + (accent?.width ?? 0), y + padding, page));
  }
}

/** `<box background="surface" border="border" padding="8pt" keep="true">…</box>`: offer cards, panels. */
export const box: ElementKind = {
  name: "box",
  summary: "blocks inside padding, background, border and optional accent bar; keep=true never splits it",
  attributes: {
    padding: len,
    background: colour,
    border: colour,
    "border-width": len,
    radius: len,
    accent: colour,
    "accent-width": len,
    keep: bool,
    ...SPACING,
  },
  build(el, a, ctx) {
    const theme = ctx.styles.theme;
    const children: Block[] = ctx.blocks(el);
    const background = a.string("background");
    const border = a.string("border");
    const accent = a.string("accent");
    const look: BoxLook = {
      padding: a.length("padding") ?? theme.spacing.unit * 2,
      paint: {
        ...(background ? { fill: ctx.styles.colour(background, "") } : {}),
        ...(border ? { stroke: ctx.styles.colour(border, ""), lineWidth: a.length("border-width") ?? 0.75 } : {}),
        ...(a.length("radius") ? { radius: a.length("radius") } : {}),
      },
      ...(accent ? { accent: { colour: ctx.styles.colour(accent, ""), width: a.length("accent-width") ?? 4 } } : {}),
      keep: a.boolean("keep"),
      ...spacingOf(spacing(a, 0, theme.spacing.paragraph)),
    };
    return {
      layout(width, env) {
        const innerWidth = width - 2 * look.padding - (look.accent?.width ?? 0);
        return new BoxFlowable(new Stack(children.map((c) => c.layout(innerWidth, env))), width, look);
      },
    };
  },
};

const spacingOf = (s: { before: number; after: number }) => ({ spaceBefore: s.before, spaceAfter: s.after });
