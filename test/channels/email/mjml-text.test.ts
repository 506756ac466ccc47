import { describe, expect, it } from "vitest";
import { mjmlText } from "../../../src/channels/email/mjml-text.ts";
import { htmlToTextLayout } from "../../../src/channels/email/text-part.ts";

/** A small deterministic generator (mulberry32), so that a failure can be replayed. */
function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  return { next, int, pick };
}

const SPACES = [" ", " ", " ", "  ", "\r\n", "\n", "\t", "\f", "\u200b", "\u00a0", "\u202f", ""];
const WORDS = [
  "a",
  "Köhler",
  "168,59\u00a0€",
  "O&#x27;Brien",
  "&amp;",
  "&lt;b&gt;",
  "x&#x3D;1",
  "&quot;q&quot;",
  "undefined",
  "& ",
  "https://go.example/r/abc?t=1&amp;u=2",
  "é".repeat(30),
  "w".repeat(75),
  "w".repeat(77),
  "日本語",
  "👍🏽",
  "-",
  ".",
];
/** Words an HTML parser reads otherwise (entities beyond Handlebars' own), or html-to-text splits. */
const RARE_WORDS = ["AT&T", "&nbsp;", "&copy", `${"y".repeat(60)}undefined${"z".repeat(20)}`];

/** Markup of the kinds MJML's text-bearing body holds, with some it does not. */
function markup(seed: number): string {
  const r = random(seed);
  const text = () => {
    let s = "";
    for (let i = r.int(6); i > 0; i--) s += r.pick(SPACES) + r.pick(r.next() < 0.01 ? RARE_WORDS : WORDS);
    return s + r.pick(SPACES);
  };
  // Attributes as MJML writes them, and some it does not: all but the first `href="…"` after whitespace go.
  const attributes = (link: boolean) =>
    r.pick([
      "",
      "",
      ' style="color:#1F2937;font-size:13px;"',
      '\r\nclass="od-card" style="x"',
      " />",
      ...(link
        ? [
            ` href="${href()}"`,
            `\r\nhref="${href()}" style="color:#0B5CAD;"`,
            ` style="a" href="${href()}" target="_blank"`,
            ` data-href="x" href="${href()}"`,
            ` title='see href="${href()}"' href="y"`,
            `\u00a0href="${href()}"`,
            ` href="${href()}`,
          ]
        : []),
    ]);
  const href = () => r.pick(["https://go.example/r/abc", "mailto:a@b.example", "#top", "", "Pay", "x&amp;y", "&#x27;"]);
  const node = (depth: number): string => {
    if (depth > 5 || r.next() < 0.3) return text();
    const tag =
      r.next() < 0.02
        ? r.pick(["h3", "ul", "li", "pre", "hr", "th"])
        : r.pick([
            "div",
            "div",
            "div",
            "p",
            "table",
            "tbody",
            "tr",
            "td",
            "h1",
            "h2",
            "strong",
            "a",
            "a",
            "span",
            "br",
            "img",
            "b",
            "<!-- c -->",
          ]);
    if (tag.startsWith("<!--") || tag === "br" || tag === "img" || tag === "hr")
      return `${text()}${tag.startsWith("<") ? tag : `<${tag}>`}${text()}`;
    let inner = "";
    for (let i = r.int(4); i > 0; i--) inner += node(depth + 1);
    const open = `<${tag}${attributes(tag === "a")}>`;
    // Now and then the text of a link is its own address.
    if (tag === "a" && r.next() < 0.2) inner = "Pay";
    return `${open}${inner}</${tag}>`;
  };
  let body = "";
  for (let i = 1 + r.int(5); i > 0; i--) body += node(0);
  return `<body${r.pick(["", ' style="word-spacing:normal;"'])}>${body}</body>\r\n</html>\r\n`;
}

describe("the text of MJML's markup", () => {
  it("is html-to-text's, byte for byte, for every markup it reads", () => {
    let read = 0;
    for (let seed = 1; seed <= 10_000; seed++) {
      const html = markup(seed);
      const text = mjmlText(html);
      if (text === undefined) continue;
      read++;
      expect({ seed, text }).toEqual({ seed, text: htmlToTextLayout(html) });
    }
    // Most generated markup is of the kinds it reads, so the comparison is not an empty one.
    expect(read).toBeGreaterThan(3000);
  });

  it("leaves to html-to-text what it does not read", () => {
    for (const html of [
      "<body><ul><li>a</li></ul></body>",
      "<body><div>a</body>",
      "<body><p>a<div>b</div></p></body>",
      "<body>AT&T &nbsp;</body>",
      `<body>${"y".repeat(60)}undefined${"z".repeat(20)}</body>`,
      "<body><br/></body>",
      '<body><a\u00a0href="x">a</a></body>',
      "<body><DIV>a</DIV></body>",
      "<body><o:p>a</o:p></body>",
      "<body><!-- <b> --></body>",
      "<div>no body</div>",
    ])
      expect(mjmlText(html)).toBeUndefined();
  });
});
