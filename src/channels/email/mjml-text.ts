/**
 * The plain text of an email's body, laid out as html-to-text lays it out with the text part's options once
 * `withoutAttributes` has dropped every attribute but `href`, in one pass over the markup and without building
 * a document.
 *
 * It reads only what MJML and the email templates write: the tags below, the entities Handlebars escapes with,
 * well nested. On anything else it answers `undefined` and the caller asks html-to-text, so the text is the
 * same either way. The layout is html-to-text's own, for the formats used:
 * blocks that ask for line breaks before and after them (the most asked wins), words joined by one space and
 * wrapped at 76 characters, links followed by their address in angle brackets, `<br>` a line break.
 */

const LINE_LENGTH = 76;

/** html-to-text's whitespace: words are what lies between these. */
const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9 || c === 12 || c === 0x200b;
/** What may stand between a tag's name and an attribute. */
const isTagSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9 || c === 12;
/** A character `\s` matches (JavaScript's whitespace), which `withoutAttributes` takes for one. */
const JS_SPACE = /\s/;
const isNameStart = (c: number) => c >= 97 && c <= 122;
const isName = (c: number) => isNameStart(c) || (c >= 48 && c <= 57);

/**
 * The tags read here. A block asks for line breaks before and after it (html-to-text's block, paragraph and
 * heading formats, headings in their own case); the others are inline: only their text counts. `closes`: the
 * open tags that opening this one would close (HTML's implied end tags), refused here rather than followed.
 */
interface Tag {
  block?: { before: number; after: number };
  void?: true;
  closes?: ReadonlySet<string>;
}
const P = new Set(["p"]);
const TAGS: ReadonlyMap<string, Tag> = new Map<string, Tag>([
  ["div", { block: { before: 1, after: 1 }, closes: P }],
  ["p", { block: { before: 2, after: 2 }, closes: P }],
  ["table", { block: { before: 2, after: 2 }, closes: P }],
  ["h1", { block: { before: 3, after: 2 }, closes: P }],
  ["h2", { block: { before: 3, after: 2 }, closes: P }],
  ["tbody", { closes: new Set(["tbody"]) }],
  ["tr", { closes: new Set(["tr", "td"]) }],
  ["td", { closes: new Set(["td"]) }],
  ["br", { void: true }],
  ["img", { void: true }],
  ...["a", "span", "strong", "b", "em", "i", "u", "small", "center", "font"].map((t): [string, Tag] => [t, {}]),
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
    let at = 0;
    while (at < s.length && isSpace(s.charCodeAt(at))) at++;
    if (at === s.length) {
      // Only whitespace: a space before the next word, unless a block's line breaks come first.
      if (s.length > 0 && !this.stashedBreaks) this.inline.stashedSpace = true;
      return;
    }
    if (this.stashedBreaks) this.inline.newLine(this.stashedBreaks);
    const inline = this.inline;
    let joined = at === 0 && !inline.stashedSpace;
    while (at < s.length) {
      const start = at;
      while (at < s.length && !isSpace(s.charCodeAt(at))) at++;
      const word = s.slice(start, at);
      for (const link of links) link.text += word;
      if (joined) inline.concat(word);
      else inline.push(word);
      joined = false;
      while (at < s.length && isSpace(s.charCodeAt(at))) at++;
    }
    inline.stashedSpace = isSpace(s.charCodeAt(s.length - 1));
    this.stashedBreaks = 0;
  }
}

interface Link {
  href: string;
  text: string;
}

interface Open {
  tag: string;
  block?: { before: number; after: number };
  link?: Link;
}

/** The text of `<body>…</body>`, or `undefined` when the markup holds anything this layout does not read. */
export function mjmlText(markup: string): string | undefined {
  try {
    return layOut(markup);
  } catch (e) {
    if (e instanceof Unread) return undefined;
    throw e;
  }
}

/**
 * The tag at `lt` as html-to-text reads it after `withoutAttributes` (`<name>`, `</name>` or
 * `<name href="…">`), and where it ends.
 */
function readTag(markup: string, lt: number): { closing: boolean; tag: string; href?: string; end: number } {
  let i = lt + 1;
  const closing = markup.charCodeAt(i) === 47;
  if (closing) i++;
  const nameStart = i;
  if (!isNameStart(markup.charCodeAt(i))) throw new Unread();
  while (isName(markup.charCodeAt(i))) i++;
  const tag = markup.slice(nameStart, i);
  if (markup.charCodeAt(i) === 62) return { closing, tag, end: i + 1 };
  if (closing || !JS_SPACE.test(markup[i])) throw new Unread();
  // Attributes, to the first `>`: only the first `href="…"` after whitespace is kept.
  const gt = markup.indexOf(">", i);
  if (gt < 0) throw new Unread();
  const attributes = markup.slice(i, gt);
  for (let h = attributes.indexOf('href="', 1); h >= 0; h = attributes.indexOf('href="', h + 1)) {
    if (!JS_SPACE.test(attributes[h - 1])) continue;
    const quote = attributes.indexOf('"', h + 6);
    if (quote < 0) break;
    // The parser after `withoutAttributes` sees the whitespace before `href` as the attribute's separator.
    if (!isTagSpace(attributes.charCodeAt(h - 1))) throw new Unread();
    return { closing, tag, href: attributes.slice(h + 6, quote), end: gt + 1 };
  }
  return { closing, tag, end: gt + 1 };
}

function layOut(markup: string): string {
  const body = markup.startsWith("<body") ? readTag(markup, 0) : undefined;
  if (body?.tag !== "body") throw new Unread();
  const root = new Block(1);
  const open: Open[] = [];
  const blocks: Block[] = [root];
  const links: Link[] = [];
  let block = root;
  let at = body.end;
  for (;;) {
    const lt = markup.indexOf("<", at);
    if (lt < 0) throw new Unread();
    if (lt > at) block.addInline(decode(markup.slice(at, lt)), links);
    if (markup.startsWith("<!", lt)) {
      const end = markup.indexOf("-->", lt + 4);
      // A `<` inside would be read as a tag by `withoutAttributes`.
      const comment = markup.slice(lt + 4, end);
      if (!markup.startsWith("<!--", lt) || end < 0 || /^-?>|</.test(comment)) throw new Unread();
      at = end + 3;
      continue;
    }
    const { closing, tag, href, end } = readTag(markup, lt);
    at = end;
    if (closing) {
      if (tag === "body" && open.length === 0) break;
      const top = open.pop();
      if (top?.tag !== tag) throw new Unread();
      if (top.block) {
        const done = blocks.pop() as Block;
        block = blocks[blocks.length - 1];
        block.add(done.content(), done.before, Math.max(done.stashedBreaks, top.block.after));
      }
      if (top.link) {
        links.pop();
        const { href: address, text } = top.link;
        // The address is no link text of an enclosing link.
        if (address !== text) block.addInline(text ? ` <${address}>` : address, []);
      }
      continue;
    }
    const rule = TAGS.get(tag);
    if (!rule) throw new Unread();
    if (tag === "br") block.inline.newLine();
    if (rule.void) continue;
    const top = open[open.length - 1]?.tag;
    if (top && rule.closes?.has(top)) throw new Unread();
    if (rule.block) {
      block = new Block(rule.block.before);
      blocks.push(block);
      open.push({ tag, block: rule.block });
    } else if (tag === "a" && href) {
      const address = decode(href).replace(/^mailto:/, "");
      const link = address && !address.startsWith("#") ? { href: address, text: "" } : undefined;
      if (link) links.push(link);
      open.push({ tag, link });
    } else open.push({ tag });
  }
  if (!/^\s*(<\/html>\s*)?$/.test(markup.slice(at))) throw new Unread();
  return root.content();
}
