import { atomic } from "../../../layout/index.ts";
import { len } from "../attributes.ts";
import type { ElementKind } from "./element.ts";

/** `<spacer height="6mm"/>`: empty vertical space. */
export const spacer: ElementKind = {
  name: "spacer",
  summary: "empty vertical space",
  attributes: { height: len },
  build(_el, a, ctx) {
    const height = a.length("height") ?? ctx.styles.theme.spacing.section;
    return { layout: () => atomic(height, () => {}) };
  },
};
