/** The PDF channel: templates that write layout markup, laid out by src/layout and painted with pdfkit. */
export { type CompiledPdf, mergeMarkup, pdfChannel } from "./channel.ts";
export { ELEMENTS } from "./elements/index.ts";
export { parseMarkup } from "./markup.ts";
