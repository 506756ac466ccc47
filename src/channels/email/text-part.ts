import { compile } from "html-to-text";
import { mjmlText } from "./mjml-text.ts";
import { PREHEADER_OPENING } from "./preheader.ts";

const convert = compile({
  wordwrap: 76,
  selectors: [
    { selector: "img", format: "skip" },
    { selector: "a", options: { hideLinkHrefIfSameAsText: true, linkBrackets: ["<", ">"] } },
    { selector: "h1", options: { uppercase: false } },
    { selector: "h2", options: { uppercase: false } },
    { selector: "table", format: "block" },
  ],
});

/** The preheader block, opening tag to its closing one. */
const PREHEADER = new RegExp(`${PREHEADER_OPENING.source}[\\s\\S]*?<\\/div>`);
const OUTLOOK_ONLY = /<!--\[if [\s\S]*?<!\[endif\]-->/g;
const TAG_WITH_ATTRIBUTES = /<([a-z][a-z0-9]*)\s[^>]*>/gi;

/** The body without the hidden preheader and Outlook's conditional tables. */
function visibleBody(html: string): string {
  const start = html.indexOf("<body");
  return (start < 0 ? html : html.slice(start)).replace(PREHEADER, "").replace(OUTLOOK_ONLY, "");
}

/**
 * The markup without any attribute but href, all html-to-text needs: styles and layout attributes are most of
 * the bytes and carry no text. Safe on this HTML because MJML writes it and every customer value in it is
 * escaped (no raw `>` inside an attribute value).
 */
const withoutAttributes = (markup: string): string =>
  markup.replace(TAG_WITH_ATTRIBUTES, (tag, name: string) => `<${name}${/\shref="[^"]*"/.exec(tag)?.[0] ?? ""}>`);

/** html-to-text's layout of a body: what `mjmlText` gives whenever it reads the body. */
export const htmlToTextLayout = (body: string): string => convert(withoutAttributes(body));

/**
 * The plain-text alternative, laid out as html-to-text (compiled once) lays out the merged HTML: links keep
 * their address after the text, images are left out (their text alternative is in the copy already), the
 * preheader is left out, headings keep their case, and runs of blank lines (left by layout tables and
 * skipped images) shrink to one. The markup MJML writes is laid out by `mjmlText` in a sixth of the time;
 * html-to-text reads whatever else a template holds.
 */
export function htmlToText(html: string): string {
  const body = visibleBody(html);
  return `${(mjmlText(body) ?? htmlToTextLayout(body)).replace(/\n{3,}/g, "\n\n").trim()}\n`;
}
