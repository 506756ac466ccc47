import { parseLength, parseWidth } from "../../src/layout/index.ts";
import { type MarkupElement, type MarkupNode, childElements } from "../../src/channels/pdf/markup.ts";
import { CHART_FONT_FAMILY } from "../../src/assets/chart/index.ts";
import type { Theme } from "../../src/templates/index.ts";
import { qrSvg } from "./qr-svg.ts";

/**
 * The Typst baseline's input: the same merged statement markup written as a Typst document, as someone
 * writing the statement in Typst would lay it out: the first page's frames placed on the page background,
 * the running header and `Page X of Y` footer from the page counter, rows as grids, the charges table with
 * `table.header` (repeated on every page), the same chart SVG and the QR code as SVG, DejaVu Sans throughout.
 * Everything is emitted in code mode with string literals, so no customer text is read as Typst markup.
 */
const str = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
const pt = (n: number) => `${Math.round(n * 100) / 100}pt`;

export function markupToTypst(root: MarkupElement, theme: Theme, chart: { svg: string; alt: string }): string {
  const colour = (v: string | undefined, fallback: string) =>
    `rgb(${str(v === undefined ? fallback : (theme.colours[v as keyof Theme["colours"]] ?? v))})`;
  const size = (v: string | undefined, fallback: number) =>
    v === undefined ? fallback : ((theme.sizes as Record<string, number>)[v] ?? Number(v));
  const len = (v: string | undefined, fallback: number) => (v === undefined ? fallback : (parseLength(v) ?? fallback));
  const track = (w: string) => {
    const s = parseWidth(w) ?? { fr: 1 };
    return "fixed" in s ? pt(s.fixed) : "percent" in s ? `${s.percent}%` : "fr" in s ? `${s.fr}fr` : "auto";
  };

  const inline = (nodes: MarkupNode[]): string =>
    nodes
      .map((n) => {
        if (n.kind === "text") return `#${str(n.text.replace(/\s+/g, " "))}`;
        const inner = inline(n.children);
        switch (n.name) {
          case "b":
            return `#strong[${inner}]`;
          case "i":
            return `#emph[${inner}]`;
          case "a":
            return `#link(${str(n.attrs.href ?? "")})[#text(fill: ${colour("primary", "")})[${inner}]]`;
          case "br":
            return "#linebreak()";
          default:
            return `#text(fill: ${colour(n.attrs.colour, theme.colours.text)}, size: ${pt(size(n.attrs.size, theme.sizes.body))})[${inner}]`;
        }
      })
      .join("");

  const spacing = (el: MarkupElement, before: number, after: number) =>
    `above: ${pt(len(el.attrs["space-before"], before))}, below: ${pt(len(el.attrs["space-after"], after))}`;

  const block = (el: MarkupElement): string => {
    const a = el.attrs;
    const kids = () => childElements(el).map(block).join("\n");
    switch (el.name) {
      case "heading": {
        const level = Number(a.level ?? "2");
        const s = size(a.size, theme.sizes[`h${level}` as "h1"]);
        return `#block(${spacing(el, level === 1 ? 0 : theme.spacing.section, theme.spacing.unit * 1.5)}, width: 100%)[#show heading: set text(size: ${pt(s)}, fill: ${colour(a.colour, theme.colours.primary)}); #show heading: set block(above: 0pt, below: 0pt); #set align(${a.align ?? "left"}); #heading(level: ${level}, outlined: false)[${inline(el.children)}]]`;
      }
      case "p":
        return `#block(${spacing(el, 0, theme.spacing.paragraph)}, width: 100%)[#set text(size: ${pt(size(a.size, theme.sizes.body))}, fill: ${colour(a.colour, theme.colours.text)}${a.weight === "bold" ? ', weight: "bold"' : ""}); #set align(${a.align ?? "left"}); ${inline(el.children)}]`;
      case "list":
        return `#block(${spacing(el, 0, theme.spacing.paragraph)})[${childElements(el)
          .map((i) => `${a.type === "number" ? "+" : "-"} ${inline(i.children)}`)
          .join("\n")}]`;
      case "box":
        return `#block(${spacing(el, 0, theme.spacing.paragraph)}, width: 100%, breakable: ${a.keep !== "true"}, fill: ${a.background ? colour(a.background, "") : "none"}, stroke: ${a.border ? `(${a.accent ? `left: 5pt + ${colour(a.accent, "")}, ` : ""}rest: 0.75pt + ${colour(a.border, "")})` : a.accent ? `(left: 5pt + ${colour(a.accent, "")})` : "none"}, inset: ${pt(len(a.padding, 8))}, radius: ${pt(len(a.radius, 0))})[${kids()}]`;
      case "row": {
        const cols = childElements(el);
        const valign = a.valign === "bottom" ? "bottom" : a.valign === "middle" ? "horizon" : "top";
        return `#block(${spacing(el, 0, theme.spacing.paragraph)}, breakable: false)[#grid(columns: (${cols.map((c) => track(c.attrs.width ?? "1fr")).join(", ")},), column-gutter: ${pt(len(a.gap, 12))}, align: ${valign}, ${cols.map((c) => `[${childElements(c).map(block).join("\n")}]`).join(", ")})]`;
      }
      case "table": {
        const rows = childElements(el);
        const heads = rows.filter((r) => r.name === "thead").flatMap((t) => childElements(t));
        const body = rows.filter((r) => r.name === "tr");
        const first = heads[0] ?? body[0];
        const n = first ? childElements(first).reduce((k, c) => k + Number(c.attrs.span ?? 1), 0) : 0;
        const widths = (a.widths ?? "").split(/\s+/).filter(Boolean).concat(Array(n).fill("1fr")).slice(0, n);
        const align = (a.align ?? "").split(/\s+/);
        const cells = (r: MarkupElement, head: boolean, fill: string) => {
          let col = 0;
          return childElements(r).map((c) => {
            const span = Number(c.attrs.span ?? 1);
            col += span;
            const al = c.attrs.align ?? align[col - 1] ?? "left";
            const body = head
              ? `#text(fill: white, weight: "bold")[${inline(c.children)}]`
              : r.attrs.kind === "total"
                ? `#strong[${inline(c.children)}]`
                : inline(c.children);
            return `table.cell(colspan: ${span}, align: ${al}, fill: ${fill})[${body}]`;
          });
        };
        const out: string[] = [];
        if (heads.length > 0)
          out.push(
            `table.header(repeat: true, ${heads.flatMap((r) => cells(r, true, colour("primary", ""))).join(", ")})`,
          );
        body.forEach((r, i) => {
          const kind = r.attrs.kind ?? "";
          if (kind === "total") out.push("table.hline(stroke: 1.2pt + black)");
          if (kind === "subtotal") out.push(`table.hline(stroke: 0.6pt + ${colour("border", "")})`);
          const zebra = a.zebra === "true" && i % 2 === 1 && kind === "";
          out.push(...cells(r, false, zebra ? colour("surface", "") : "none"));
        });
        return `#block(${spacing(el, 4, theme.spacing.paragraph)}, width: 100%)[#table(columns: (${widths.map(track).join(", ")},), stroke: none, inset: (x: 5pt, y: 3pt), ${out.join(", ")})]`;
      }
      case "chart": {
        const svg = chart.svg.replaceAll(CHART_FONT_FAMILY, "DejaVu Sans");
        return `#block(above: 4pt, below: 6pt)[#image(bytes(${str(svg)}), format: "svg", width: ${pt(len(a.width, 300))}, height: ${pt(len(a.height, 160))}, alt: ${str(a.alt ?? chart.alt)})]`;
      }
      case "qr": {
        const side = len(a.size, 80);
        return `#image(bytes(${str(qrSvg(a.data ?? ""))}), format: "svg", width: ${pt(side)}, alt: ${str(a.alt ?? "")})`;
      }
      case "spacer":
        return `#v(${pt(len(a.height, 14))})`;
      case "rule":
        return `#block(${spacing(el, 4, 4)})[#line(length: 100%, stroke: ${pt(len(a.thickness, 0.75))} + ${colour(a.colour, theme.colours.border)})]`;
      case "keep-together":
        return `#block(breakable: false)[${kids()}]`;
      case "page-break":
        return "#pagebreak()";
      case "page-number": {
        const format = str(a.format ?? "{page} / {pages}");
        return `#align(${a.align ?? "right"})[#text(size: 7pt, fill: ${colour("muted", "")})[#context ${format}.replace("{page}", str(counter(page).get().first())).replace("{pages}", str(counter(page).final().first()))]]`;
      }
      default:
        return kids();
    }
  };

  const templates = childElements(root).filter((t) => t.name === "page-template");
  const frames = (t: MarkupElement | undefined) =>
    t
      ? childElements(t)
          .filter((f) => f.name === "frame")
          .map(
            (f) =>
              `place(top + left, dx: ${pt(len(f.attrs.x, 0))}, dy: ${pt(len(f.attrs.y, 0))}, block(width: ${pt(len(f.attrs.width, 0))})[${childElements(f).map(block).join("\n")}])`,
          )
          .join("\n")
      : "";
  const first = templates.find((t) => t.attrs.for !== "rest");
  const rest = templates.find((t) => t.attrs.for === "rest") ?? first;
  const flowOf = (t: MarkupElement | undefined) => childElements(t ?? root).find((f) => f.name === "flow");
  const restFlow = flowOf(rest);
  const top = len(restFlow?.attrs.y, 26 * 2.8346);
  const bottom = 297 * 2.8346 - top - len(restFlow?.attrs.height, 248 * 2.8346);
  const firstTop = len(flowOf(first)?.attrs.y, top);
  const body = childElements(root).find((b) => b.name === "body");
  return `#set document(title: ${str(root.attrs.title ?? "")})
#set text(font: "DejaVu Sans", size: ${pt(theme.sizes.body)}, fill: ${colour("text", "")}, lang: "en")
#set par(leading: 0.35em, spacing: 0pt)
#set block(spacing: 0pt)
#set page(paper: "a4", margin: (top: ${pt(top)}, bottom: ${pt(bottom)}, x: 20mm), background: context {
  if here().page() == 1 {
${frames(first)}
  } else {
${frames(rest)}
  }
})
#v(${pt(firstTop - top)})
${body ? childElements(body).map(block).join("\n") : ""}
`;
}
