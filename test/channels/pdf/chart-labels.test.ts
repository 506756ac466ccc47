import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { type Language, type Profile, parseProfileLine } from "../../../src/profile/index.ts";
import { generateLines } from "../../support/customers.ts";
import { renderPdf } from "../../support/pdf-render.ts";
import { pdfView } from "../../support/pdf-views.ts";

/**
 * The usage chart's month labels as poppler reads them from the printed page: every label its own word,
 * no two boxes overlapping, the latest month always labelled. Over every language, with the 12-month window
 * starting in each month of the year, so that every month's name stands beside every other.
 */

interface Word {
  x0: number;
  x1: number;
  y0: number;
  text: string;
}

function pageWords(file: string): Word[] {
  const xml = execFileSync("pdftotext", ["-f", "1", "-l", "1", "-bbox", file, "-"], { encoding: "utf8" });
  const words: Word[] = [];
  for (const m of xml.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">(.*?)<\/word>/g))
    words.push({ x0: Number(m[1]), y0: Number(m[2]), x1: Number(m[3]), text: unescapeXml(m[4]) });
  return words;
}

const unescapeXml = (s: string) =>
  s
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"');

/** How many of `labels`, consecutive from `from`, `word` is made of (two when glyphs ran together), or 0. */
function labelsIn(word: string, labels: string[], from: number): number {
  let rest = word;
  let n = 0;
  while (rest && from + n < labels.length && rest.startsWith(labels[from + n]))
    rest = rest.slice(labels[from + n++].length);
  return rest ? 0 : n;
}

/**
 * The words of the chart's month axis: on one line, left to right, each one or more consecutive month labels
 * of the chart, together covering at least three of them.
 */
function axisWords(words: Word[], labels: string[]): Word[] {
  const lines = new Map<string, Word[]>();
  for (const w of words) lines.set(w.y0.toFixed(1), [...(lines.get(w.y0.toFixed(1)) ?? []), w]);
  for (const line of lines.values()) {
    const row = line.filter((w) => labels.some((l) => w.text.startsWith(l))).sort((a, b) => a.x0 - b.x0);
    let at = 0;
    let covered = 0;
    const axis: Word[] = [];
    for (const w of row) {
      while (at < labels.length && labelsIn(w.text, labels, at) === 0) at++;
      const n = labelsIn(w.text, labels, at);
      if (n === 0) break;
      axis.push(w);
      at += n;
      covered += n;
    }
    if (axis.length >= 2 && covered >= 3) return axis;
  }
  return [];
}

/** 12 months of usage ending in `last` (`2026-10`), oldest first. */
function window(last: string): Profile["usage"]["monthly"] {
  const [y, m] = last.split("-").map(Number);
  return Array.from({ length: 12 }, (_, i) => {
    const d = new Date(Date.UTC(y, m - 12 + i, 1));
    return { month: d.toISOString().slice(0, 7), value: 150 + ((i * 37) % 200) };
  });
}

const LAST_MONTHS = Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, "0")}`);

const customerOf = (language: Language): Profile => {
  const locale = { en: "en-GB", fr: "fr-FR", de: "de-DE" }[language];
  const r = parseProfileLine(generateLines(1, "--seed", "15", "--locale", locale)[0], 1);
  if (!r.ok) throw new Error("generated customer is invalid");
  return r.value;
};

describe.each(["en", "fr", "de"] as const)("usage chart month labels in %s", (language) => {
  it("never touch or overlap, whichever month the year starts in, and the latest month is labelled", async () => {
    const customer = customerOf(language);
    for (const last of LAST_MONTHS) {
      const p = structuredClone(customer);
      p.usage.monthly = window(last);
      const view = pdfView(p);
      const labels = view.usage.monthly.map((m) => m.label);
      const r = await renderPdf(view);
      const axis = axisWords(pageWords(r.file), labels);
      const where = `${language}, ${labels.join(" ")}`;
      expect(axis.length, where).toBeGreaterThanOrEqual(3);
      for (const w of axis) expect(labels, `${where}: "${w.text}" is one label`).toContain(w.text);
      // A visible gap between neighbours: at least a point, a tenth of the labels' size.
      for (let i = 1; i < axis.length; i++) expect(axis[i].x0 - axis[i - 1].x1, where).toBeGreaterThanOrEqual(1);
      expect(axis.at(-1)?.text, where).toBe(labels.at(-1));
    }
  }, 300_000);
});
