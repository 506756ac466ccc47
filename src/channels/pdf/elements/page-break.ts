import type { ElementKind } from "./element.ts";

/** `<page-break/>`: what follows starts on a new page. */
export const pageBreak: ElementKind = {
  name: "page-break",
  summary: "starts a new page",
  attributes: {},
  build() {
    return { layout: () => ({ height: 0, pageBreak: true, split: () => null, paint: () => {} }) };
  },
};
