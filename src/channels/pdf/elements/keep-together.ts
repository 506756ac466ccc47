import { type Flowable, type PageInfo, type Painter, type Split, Stack } from "../../../layout/index.ts";
import { SPACING } from "../attributes.ts";
import { type ElementKind, spacing } from "./element.ts";

/** A group moved whole to the next page when it does not fit; divided only when taller than a page. */
class KeepTogether implements Flowable {
  readonly height: number;
  constructor(
    private readonly inner: Stack,
    readonly spaceBefore: number,
    readonly spaceAfter: number,
  ) {
    this.height = inner.height;
  }
  split(available: number, force: boolean): Split | null {
    return force ? this.inner.split(available, true) : null;
  }
  paint(painter: Painter, x: number, y: number, page: PageInfo): void {
    this.inner.paint(painter, x, y, page);
  }
}

/** `<keep-together>…</keep-together>`: e.g. a heading, a paragraph and a QR code that belong together. */
export const keepTogether: ElementKind = {
  name: "keep-together",
  summary: "blocks that go on one page together",
  attributes: { ...SPACING },
  build(el, a, ctx) {
    const children = ctx.blocks(el);
    const space = spacing(a, 0, 0);
    return {
      layout: (width, env) =>
        new KeepTogether(new Stack(children.map((c) => c.layout(width, env))), space.before, space.after),
    };
  },
};
