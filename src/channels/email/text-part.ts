import { compile } from "html-to-text";

const convert = compile({
  wordwrap: 76,
  selectors: [
    { selector: "img", format: "skip" },
    { selector: 'div[style*="display:none"]', format: "skip" },
    { selector: "a", options: { hideLinkHrefIfSameAsText: true, linkBrackets: ["<", ">"] } },
    { selector: "h1", options: { uppercase: false } },
    { selector: "h2", options: { uppercase: false } },
    { selector: "table", format: "block" },
  ],
});

/**
 * The plain-text alternative, converted from the merged HTML by html-to-text (compiled once). Links keep
 * their address after the text, images are left out (their text alternative is in the copy already), the
 * hidden preheader is skipped, headings keep their case, and runs of blank lines (left by layout tables and
 * skipped images) shrink to one.
 */
export const htmlToText = (html: string): string =>
  `${convert(html)
    .replace(/\n{3,}/g, "\n\n")
    .trim()}\n`;
