/** The PDF channel: templates that write layout markup, laid out by src/layout and painted with pdfkit. */
export { type CompiledPdf, mergeMarkup, pdfChannel } from "./channel.ts";
export { STRUCTURE } from "./build.ts";
export { ELEMENTS, INLINE_ATTRIBUTES } from "./elements/index.ts";
export { parseMarkup } from "./markup.ts";
