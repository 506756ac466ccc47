/**
 * The plain text of an email's text-bearing markup (see `textBearing`), laid out as html-to-text lays it out
 * with the text part's options, in one pass over the markup and without building a document.
 *
 * It reads only what MJML and the email templates write: the tags below, attributes reduced to `href`, the
 * entities Handlebars escapes with, well nested. On anything else it answers `undefined` and the caller asks
 * html-to-text, so the text is the same either way. The layout is html-to-text's own, for the formats used:
 * blocks that ask for line breaks before and after them (the most asked wins), words joined by one space and
 * wrapped at 76 characters, links followed by their address in angle brackets, `<br>` a line break.
 */

const LINE_LENGTH = 76;

/** html-to-text's whitespace: words are what lies between these. */
const WORD = /[^ \t\r\n\f\u200b]+/g;
const LEADING_SPACE = /^[ \t\r\n\f\u200b]/;
const TRAILING_SPACE = /[ \t\r\n\f\u200b]$/;
const ALL_SPACE = /^[ \t\r\n\f\u200b]*$/;

/** Line breaks before and after a block; tags not listed are inline and only their text counts. */
const BLOCKS: ReadonlyMap<string, { before: number; after: number }> = new Map([
  ["div", { before: 1, after: 1 }],
  ["p", { before: 2, after: 2 }],
  ["table", { before: 2, after: 2 }],
  ["h1", { before: 3, after: 2 }],
  ["h2", { before: 3, after: 2 }],
]);
const INLINE = new Set(["tbody", "tr", "td", "span", "strong", "b", "em", "i", "u", "small", "center", "font", "a"]);
const VOID = new Set(["br", "img"]);
/** Tags whose opening closes an open one (HTML's implied end tags), here refused rather than followed. */
const CLOSES: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ["tr", new Set(["tr", "td"])],
  ["td", new Set(["td"])],
  ["tbody", new Set(["tbody"])],
  ["p", new Set(["p"])],
  ["div", new Set(["p"])],
  ["table", new Set(["p"])],
  ["h1", new Set(["p"])],
  ["h2", new Set(["p"])],
]);

const ENTITIES: Readonly<Record<string, string>> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#x27;": "'",
  "&#x60;": "`",
  "&#x3D;": "=",
};
const ENTITY = /&(?:amp|lt|gt|quot|#x27|#x60|#x3D);/g;
/** An `&` that an HTML parser would read as the start of an entity. */
const ENTITY_START = /&[#a-zA-Z0-9]/;

/** Thrown, and caught below, on markup this layout does not read. */
class Unread extends Error {}

/** Entity-decoded text, or `Unread` for an entity other than Handlebars' own. */
function decode(s: string): string {
  if (!s.includes("&")) return s;
  if (ENTITY_START.test(s.replace(ENTITY, ""))) throw new Unread();
  return s.replace(ENTITY, (e) => ENTITIES[e]);
}

/** One block's words in lines (html-to-text's InlineTextBuilder without long-word splitting). */
class Lines {
  lines: string[][] = [];
  words: string[] = [];
  left = LINE_LENGTH;
  stashedSpace = false;

  push(word: string): void {
    if (this.left <= 0) this.newLine();
    const cost = word.length + (this.words.length === 0 ? 0 : 1);
    if (cost > this.left) {
      // html-to-text looks for its wrap character in a word longer than a line, and having none configured
      // it looks for the text "undefined" (`lastIndexOf(undefined)`) and splits there: left to it.
      if (word.length > LINE_LENGTH && word.slice(0, LINE_LENGTH).includes("undefined")) throw new Unread();
      if (this.words.length > 0) this.newLine();
      this.words.push(word);
      this.left -= word.length;
      return;
    }
    this.words.push(word);
    this.left -= cost;
  }

  concat(word: string): void {
    const last = this.words.pop();
    if (last !== undefined) this.left += last.length + (this.words.length === 0 ? 0 : 1);
    this.push(last ? last + word : word);
  }

  newLine(n = 1): void {
    this.lines.push(this.words);
    for (let i = 1; i < n; i++) this.lines.push([]);
    this.words = [];
    this.left = LINE_LENGTH;
  }

  get empty(): boolean {
    return this.lines.length === 0 && this.words.length === 0;
  }

  clear(): void {
    this.lines.length = 0;
    this.words = [];
    this.left = LINE_LENGTH;
  }

  toString(): string {
    let s = "";
    for (const line of this.lines) s += `${line.join(" ")}\n`;
    return s + this.words.join(" ");
  }
}

/** A block being laid out (html-to-text's BlockStackItem). */
class Block {
  text = "";
  inline = new Lines();
  stashedBreaks = 0;
  constructor(public before: number) {}

  content(): string {
    return this.inline.empty ? this.text : this.text + this.inline.toString();
  }

  /** A finished child block's text, with the line breaks both ask for between it and what precedes it. */
  add(text: string, before: number, after: number): void {
    const preceding = this.content();
    const breaks = Math.max(this.stashedBreaks, before);
    this.inline.clear();
    if (preceding) this.text = preceding + "\n".repeat(breaks) + text;
    else {
      this.text = text;
      this.before = breaks;
    }
    this.stashedBreaks = after;
  }

  /** Text of the markup: its words, joined to the previous word when no whitespace separates them. */
  addInline(s: string, links: Link[]): void {
    if (s.length === 0 || (this.stashedBreaks && ALL_SPACE.test(s))) return;
    if (this.stashedBreaks) this.inline.newLine(this.stashedBreaks);
    const inline = this.inline;
    const spaced = inline.stashedSpace;
    let first = true;
    for (const m of s.matchAll(WORD)) {
      const word = m[0];
      for (const link of links) link.text += word;
      if (!first || spaced || LEADING_SPACE.test(s)) inline.push(word);
      else inline.concat(word);
      first = false;
    }
    inline.stashedSpace = TRAILING_SPACE.test(s);
    this.stashedBreaks = 0;
  }
}

interface Link {
  href: string;
  text: string;
}

interface Open {
  tag: string;
  block?: true;
  link?: Link;
}

const TAG = /<(\/?)([a-z][a-z0-9]*)(?:[ \t\r\n\f]href="([^"]*)")?>/y;

/**
 * The text of `<body>…</body>` (a text-bearing body: tags without attributes but `href`), or `undefined` when
 * the markup holds anything this layout does not read.
 */
export function mjmlText(markup: string): string | undefined {
  try {
    return layOut(markup);
  } catch (e) {
    if (e instanceof Unread) return undefined;
    throw e;
  }
}

function layOut(markup: string): string {
  if (!markup.startsWith("<body>")) throw new Unread();
  const root = new Block(1);
  const open: Open[] = [];
  const blocks: Block[] = [root];
  const links: Link[] = [];
  let block = root;
  let at = "<body>".length;
  for (;;) {
    const lt = markup.indexOf("<", at);
    if (lt < 0) throw new Unread();
    if (lt > at) block.addInline(decode(markup.slice(at, lt)), links);
    if (markup.startsWith("<!--", lt)) {
      const end = markup.indexOf("-->", lt + 4);
      if (end < 0 || markup.startsWith(">", lt + 4) || markup.startsWith("->", lt + 4)) throw new Unread();
      at = end + 3;
      continue;
    }
    TAG.lastIndex = lt;
    const m = TAG.exec(markup);
    if (!m) throw new Unread();
    at = TAG.lastIndex;
    const [, closing, tag, href] = m;
    if (closing) {
      if (href !== undefined) throw new Unread();
      if (tag === "body" && open.length === 0) break;
      const top = open.pop();
      if (top?.tag !== tag) throw new Unread();
      if (top.block) {
        const done = blocks.pop() as Block;
        block = blocks[blocks.length - 1];
        block.add(done.content(), done.before, Math.max(done.stashedBreaks, BLOCKS.get(tag)?.after ?? 0));
      }
      if (top.link) {
        links.pop();
        const { href: address, text } = top.link;
        // The address is no link text of an enclosing link.
        if (address !== text) block.addInline(text ? ` <${address}>` : address, []);
      }
      continue;
    }
    if (tag === "br") block.inline.newLine();
    if (VOID.has(tag)) continue;
    const top = open.at(-1)?.tag;
    if (top && CLOSES.get(tag)?.has(top)) throw new Unread();
    const spacing = BLOCKS.get(tag);
    if (spacing) {
      block = new Block(spacing.before);
      blocks.push(block);
      open.push({ tag, block: true });
    } else if (!INLINE.has(tag)) throw new Unread();
    else if (tag === "a" && href) {
      const address = decode(href).replace(/^mailto:/, "");
      const link = address && !address.startsWith("#") ? { href: address, text: "" } : undefined;
      if (link) links.push(link);
      open.push({ tag, link });
    } else open.push({ tag });
  }
  if (!/^\s*(<\/html>\s*)?$/.test(markup.slice(at))) throw new Unread();
  return root.content();
}
