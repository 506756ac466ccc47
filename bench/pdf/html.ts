import { parseLength, parseWidth } from "../../src/layout/index.ts";
import { type MarkupElement, type MarkupNode, childElements } from "../../src/channels/pdf/markup.ts";
import { qrSvg } from "./qr-svg.ts";
import type { Theme } from "../../src/templates/index.ts";

/**
 * The Chromium baseline's input: the same merged statement markup turned into HTML and CSS, so Chromium
 * prints the same statement (frames of the first page absolutely placed, flow content in the page, the
 * table header repeated by the browser, the same chart SVG, the QR code as SVG rectangles).
 */
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function markupToHtml(
  root: MarkupElement,
  theme: Theme,
  chart: { svg: string; alt: string },
): { html: string; footer: string } {
  const colour = (v: string | undefined, fallback = "inherit") =>
    v === undefined ? fallback : (theme.colours[v] ?? v);
  const size = (v: string | undefined, fallback: number) =>
    v === undefined ? fallback : ((theme.sizes as Record<string, number>)[v] ?? Number(v));
  const len = (v: string | undefined) => (v === undefined ? undefined : parseLength(v));
  const space = (el: MarkupElement, before = 0, after = theme.spacing.paragraph) =>
    `margin:${len(el.attrs["space-before"]) ?? before}pt 0 ${len(el.attrs["space-after"]) ?? after}pt 0;`;
  let footer = "";

  const inline = (nodes: MarkupNode[]): string =>
    nodes
      .map((n) => {
        if (n.kind === "text") return esc(n.text);
        const inner = inline(n.children);
        switch (n.name) {
          case "b":
            return `<b>${inner}</b>`;
          case "i":
            return `<i>${inner}</i>`;
          case "a":
            return `<a href="${esc(n.attrs.href ?? "")}">${inner}</a>`;
          case "br":
            return "<br>";
          default:
            return `<span style="color:${colour(n.attrs.colour)};font-size:${size(n.attrs.size, theme.sizes.body)}pt">${inner}</span>`;
        }
      })
      .join("");

  const widths = (words: string[]) => {
    const specs = words.map((w) => parseWidth(w) ?? { fr: 1 });
    const fr = specs.reduce((n, s) => n + ("fr" in s ? s.fr : 0), 0);
    return specs.map((s) =>
      "fixed" in s ? `${s.fixed}pt` : "percent" in s ? `${s.percent}%` : "fr" in s ? `${(s.fr / fr) * 100}%` : "auto",
    );
  };

  const block = (el: MarkupElement): string => {
    const a = el.attrs;
    const kids = () => childElements(el).map(block).join("");
    switch (el.name) {
      case "heading": {
        const level = a.level ?? "2";
        return `<h${level} style="color:${colour(a.colour, theme.colours.primary)};font-size:${theme.sizes[`h${level}` as "h1"]}pt;${space(el, level === "1" ? 0 : theme.spacing.section, theme.spacing.unit * 1.5)}break-after:avoid">${inline(el.children)}</h${level}>`;
      }
      case "p":
        return `<p style="font-size:${size(a.size, theme.sizes.body)}pt;color:${colour(a.colour, theme.colours.text)};text-align:${a.align ?? "left"};font-weight:${a.weight ?? "normal"};${space(el)}orphans:2;widows:2">${inline(el.children)}</p>`;
      case "list":
        return `<${a.type === "number" ? "ol" : "ul"} style="${space(el)}">${childElements(el)
          .map((i) => `<li>${inline(i.children)}</li>`)
          .join("")}</${a.type === "number" ? "ol" : "ul"}>`;
      case "box":
        return `<div style="background:${colour(a.background, "transparent")};border:${a.border ? `0.75pt solid ${colour(a.border)}` : "none"};border-left:${a.accent ? `5pt solid ${colour(a.accent)}` : ""};padding:${len(a.padding) ?? 8}pt;border-radius:${len(a.radius) ?? 0}pt;${space(el)}${a.keep === "true" ? "break-inside:avoid;" : ""}">${kids()}</div>`;
      case "row": {
        const cols = childElements(el);
        const w = widths(cols.map((c) => c.attrs.width ?? "1fr"));
        return `<div style="display:flex;gap:${len(a.gap) ?? 12}pt;align-items:${a.valign === "bottom" ? "flex-end" : a.valign === "middle" ? "center" : "flex-start"};${space(el)}break-inside:avoid">${cols.map((c, i) => `<div style="flex:0 0 ${w[i]};min-width:0">${childElements(c).map(block).join("")}</div>`).join("")}</div>`;
      }
      case "table": {
        const rows = childElements(el);
        const first = rows[0]?.name === "thead" ? childElements(rows[0])[0] : rows[0];
        const n = first ? childElements(first).reduce((k, c) => k + Number(c.attrs.span ?? 1), 0) : 0;
        const w = widths((a.widths ?? "").split(/\s+/).filter(Boolean).concat(Array(n).fill("1fr")).slice(0, n));
        const align = (a.align ?? "").split(/\s+/);
        const tr = (r: MarkupElement, head: boolean, i: number) => {
          let col = 0;
          const cells = childElements(r).map((c) => {
            const span = Number(c.attrs.span ?? 1);
            col += span;
            const tag = head ? "th" : "td";
            return `<${tag} colspan="${span}" style="text-align:${c.attrs.align ?? align[col - 1] ?? "left"}">${inline(c.children)}</${tag}>`;
          });
          const kind = r.attrs.kind ?? "";
          const bg =
            !head && a.zebra === "true" && i % 2 === 1 && kind === "" ? `background:${theme.colours.surface};` : "";
          return `<tr style="${bg}${kind === "total" ? "font-weight:bold;border-top:1.2pt solid #000;" : kind === "subtotal" ? "border-top:0.6pt solid #ccc;" : ""}">${cells.join("")}</tr>`;
        };
        const head = rows.filter((r) => r.name === "thead").flatMap((t) => childElements(t));
        const body = rows.filter((r) => r.name === "tr");
        return `<table style="width:100%;border-collapse:collapse;table-layout:auto;${space(el, 4)}"><colgroup>${w.map((x) => `<col style="width:${x}">`).join("")}</colgroup><thead>${head.map((r) => tr(r, true, 0)).join("")}</thead><tbody>${body.map((r, i) => tr(r, false, i)).join("")}</tbody></table>`;
      }
      case "chart": {
        const c = chart;
        return `<figure style="margin:4pt 0 6pt;height:${len(a.height) ?? 160}pt" aria-label="${esc(c?.alt ?? "")}">${c?.svg.replace("<svg", '<svg style="width:100%;height:100%"') ?? ""}</figure>`;
      }
      case "qr":
        return qrSvg(a.data ?? "", `${len(a.size) ?? 80}pt`);
      case "spacer":
        return `<div style="height:${len(a.height) ?? 14}pt"></div>`;
      case "rule":
        return `<hr style="border:0;border-top:${len(a.thickness) ?? 0.75}pt solid ${colour(a.colour, theme.colours.border)};${space(el, 4, 4)}">`;
      case "keep-together":
        return `<div style="break-inside:avoid">${kids()}</div>`;
      case "page-break":
        return `<div style="break-before:page"></div>`;
      case "page-number":
        footer = a.format ?? "{page} / {pages}";
        return "";
      case "image":
        return "";
      default:
        return kids();
    }
  };

  const firstTemplate = childElements(root).find((t) => t.name === "page-template" && t.attrs.for !== "rest");
  const frames = firstTemplate
    ? childElements(firstTemplate)
        .filter((f) => f.name === "frame" && f.attrs.artifact !== "true")
        .map(
          (f) =>
            `<div style="position:absolute;left:${len(f.attrs.x)}pt;top:${(len(f.attrs.y) ?? 0) - 26 * 2.8346}pt;width:${len(f.attrs.width)}pt">${childElements(f).map(block).join("")}</div>`,
        )
        .join("")
    : "";
  // Footer frames declare the page-number format.
  for (const t of childElements(root).filter((t) => t.name === "page-template"))
    for (const f of childElements(t).filter((f) => f.name === "frame")) childElements(f).map(block);
  const flow = firstTemplate ? childElements(firstTemplate).find((f) => f.name === "flow") : undefined;
  const body = childElements(root).find((b) => b.name === "body");
  const flowTop = (len(flow?.attrs.y) ?? 100) - 26 * 2.8346;
  const html = `<!doctype html><html><head><meta charset="utf-8"><style>
@page { size: A4; margin: 26mm 0 23mm 0; }
body { margin: 0; font-family: 'DejaVu Sans', sans-serif; font-size: ${theme.sizes.body}pt; color: ${theme.colours.text}; line-height: 1.32; }
main { position: relative; padding: ${flowTop}pt 20mm 0 20mm; }
th { background: ${theme.colours.primary}; color: #fff; } th, td { padding: 3pt 5pt; }
a { color: ${theme.colours.primary}; }
</style></head><body><main>${frames.replace(/left:(\d+(\.\d+)?)pt/g, (_m, x) => `left:${Number(x)}pt`)}${body ? childElements(body).map(block).join("") : ""}</main></body></html>`;
  const footerHtml = `<div style="font-size:7pt;width:100%;padding:0 20mm;text-align:right;color:${theme.colours.muted}">${esc(footer).replace("{page}", '<span class="pageNumber"></span>').replace("{pages}", '<span class="totalPages"></span>')}</div>`;
  return { html, footer: footerHtml };
}
