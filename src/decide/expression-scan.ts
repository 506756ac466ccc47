/**
 * Reads an expression the way the expression language's lexer does, to name every symbol with its offset
 * before compiling: which are profile fields, which are member names (`x of y`) and which are functions.
 */

export type SymbolRole = "field" | "member" | "function";

export interface ExpressionSymbol {
  name: string;
  role: SymbolRole;
  /** Offset of the symbol in the expression text. */
  offset: number;
  /** `'quoted'` symbols name one property literally; dots in them are not paths. */
  quoted: boolean;
}

const KEYWORDS = new Set(["and", "or", "not", "in", "of", "if", "then", "else", "mod"]);
/** Names the language treats as values, not fields. */
export const CONSTANTS = { true: true, false: false } as const;

// One token at a time: space, number, word, 'symbol', "string", any other character.
const TOKEN =
  /(\s+)|([0-9]+(?:\.[0-9]+)?)|([a-zA-Z$_][.a-zA-Z0-9$_]*)|('(?:\\'|\\\\|[^'\\])*')|("(?:\\"|\\\\|[^"\\])*")|(.)/gy;

interface Token {
  kind: "word" | "quoted" | "other";
  text: string;
  offset: number;
}

function tokens(expression: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(expression); m !== null; m = TOKEN.exec(expression)) {
    if (m[1] !== undefined || m[2] !== undefined || m[5] !== undefined) continue;
    if (m[3] !== undefined) out.push({ kind: "word", text: m[3], offset: m.index });
    else if (m[4] !== undefined) out.push({ kind: "quoted", text: unquote(m[4]), offset: m.index });
    else out.push({ kind: "other", text: m[0], offset: m.index });
  }
  return out;
}

function unquote(literal: string): string {
  return literal.slice(1, -1).replace(/\\(['\\])/g, "$1");
}

/** Every symbol of an expression that parses; constants and keywords are left out. */
export function symbolsOf(expression: string): ExpressionSymbol[] {
  const list = tokens(expression);
  const out: ExpressionSymbol[] = [];
  for (let i = 0; i < list.length; i++) {
    const t = list[i];
    if (t.kind === "other") continue;
    if (t.kind === "word" && (KEYWORDS.has(t.text) || Object.hasOwn(CONSTANTS, t.text))) continue;
    const next = list[i + 1];
    const role: SymbolRole =
      next?.text === "(" ? "function" : next?.kind === "word" && next.text === "of" ? "member" : "field";
    out.push({ name: t.text, role, offset: t.offset, quoted: t.kind === "quoted" });
  }
  return out;
}

/**
 * The offset a parse error points at. The parser reports only a caret under a window of at most 20
 * characters either side (newlines removed), so the window is matched back against the expression.
 */
export function syntaxErrorOffset(expression: string, message: string): number | undefined {
  const lines = message.split("\n");
  const caretLine = lines.findIndex((l) => /^-*\^$/.test(l));
  if (caretLine < 1) return undefined;
  const shown = lines[caretLine - 1];
  const caret = lines[caretLine].length - 1;
  const before = shown.slice(0, caret).replace(/^\.\.\./, "");
  const after = shown.slice(caret).replace(/\.\.\.$/, "");
  const flat = (s: string) => s.replace(/\n/g, "");
  for (let k = 0; k <= expression.length; k++) {
    if (flat(expression.slice(0, k)).endsWith(before) && flat(expression.slice(k)).startsWith(after)) return k;
  }
  return undefined;
}
