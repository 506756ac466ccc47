/**
 * The preheader: the line an inbox shows after the subject, hidden in the opened message. MJML's `mj-preview`
 * hides it with white 1 px text, which SpamAssassin scores as text the colour of its background
 * (HTML_FONT_LOW_CONTRAST) and as a tiny font. Hidden here by layout alone: not displayed, no height or width,
 * transparent, and `mso-hide:all` for Outlook's Word engine, which ignores `display:none`; no colour and no
 * font size for a filter to read as an attempt to hide words.
 */
export const PREHEADER_STYLE = "display:none;max-height:0;max-width:0;overflow:hidden;opacity:0;mso-hide:all;";

/** The opening tag of MJML's preview block, the first hidden div of the body. */
export const PREHEADER_OPENING = /<div style="display:none;[^"]*">/;

/** MJML's compiled HTML with its preview block restyled: only the first match is MJML's, any later one is copy. */
export const restylePreheader = (html: string): string =>
  html.replace(PREHEADER_OPENING, `<div style="${PREHEADER_STYLE}">`);
