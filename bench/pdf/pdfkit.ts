import type * as fontkit from "fontkit";
import PDFDocument from "pdfkit";
import SVGtoPDF from "svg-to-pdfkit";
import { parseLength, parseWidth } from "../../src/layout/index.ts";
import { type MarkupElement, type MarkupNode, childElements } from "../../src/channels/pdf/markup.ts";
import type { Theme } from "../../src/templates/index.ts";
import { qrMatrix, qrRuns } from "../../src/assets/qr/index.ts";

/**
 * The hand-written pdfkit baseline: the same merged statement markup drawn with pdfkit's own API, the way a
 * developer writes a statement by hand: `doc.text` with a width (pdfkit breaks the lines), heights from
 * `heightOfString`, a box measured before its background is drawn, rows as columns side by side, the charges
 * table broken row by row with its header drawn again on each new page, the chart SVG through svg-to-pdfkit,
 * the QR code as rectangles, `Page X of Y` written over the buffered pages at the end, the DejaVu faces
 * parsed once by fontkit and handed to each document (pdfkit takes a parsed font; parsing per document
 * decodes the faces' layout tables again for every statement, which made this baseline five times slower),
 * subset by pdfkit per document. Paragraphs, headings, cells and figures are
 * tagged (`doc.struct`), headers and footers are artifacts: the structure a screen reader needs, as omnidoc's.
 * A paragraph moves whole to the next page rather than splitting.
 */
export interface PdfkitFonts {
  body: fontkit.Font;
  bold: fontkit.Font;
}

type Doc = PDFKit.PDFDocument;
const MM = 72 / 25.4;

export function statementPdfkit(
  root: MarkupElement,
  theme: Theme,
  fonts: PdfkitFonts,
  chart: { svg: string; alt: string },
  lang: string,
): Promise<{ bytes: Uint8Array; pages: number }> {
  const doc: Doc = new PDFDocument({
    size: "A4",
    margin: 0,
    autoFirstPage: false,
    bufferPages: true,
    tagged: true,
    lang,
    displayTitle: true,
    font: null as unknown as string,
    info: { Title: root.attrs.title ?? "" },
  });
  doc.registerFont("body", fonts.body as unknown as string);
  doc.registerFont("bold", fonts.bold as unknown as string);
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const ended = new Promise<Uint8Array>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
  const structure = doc.struct("Document");
  doc.addStructure(structure);

  const colour = (v: string | undefined, fallback: string) =>
    v === undefined ? fallback : (theme.colours[v as keyof Theme["colours"]] ?? v);
  const size = (v: string | undefined, fallback: number) =>
    v === undefined ? fallback : ((theme.sizes as Record<string, number>)[v] ?? Number(v));
  const len = (v: string | undefined, fallback: number) => (v === undefined ? fallback : (parseLength(v) ?? fallback));
  const widths = (specs: string[], total: number, gap: number) => {
    const parsed = specs.map((w) => parseWidth(w) ?? { fr: 1 });
    const free = total - gap * (specs.length - 1);
    const fixed = parsed.reduce(
      (n, s) => n + ("fixed" in s ? s.fixed : "percent" in s ? (s.percent / 100) * free : 0),
      0,
    );
    const fr = parsed.reduce((n, s) => n + ("fr" in s ? s.fr : "auto" in s ? 1 : 0), 0);
    return parsed.map((s) =>
      "fixed" in s
        ? s.fixed
        : "percent" in s
          ? (s.percent / 100) * free
          : ((free - fixed) * ("fr" in s ? s.fr : 1)) / fr,
    );
  };

  /** Runs of one paragraph: text with its face, colour and link. */
  interface Run {
    text: string;
    bold: boolean;
    colour: string;
    size: number;
    link?: string;
  }
  const runsOf = (nodes: MarkupNode[], base: Run, out: Run[] = []): Run[] => {
    for (const n of nodes) {
      if (n.kind === "text") {
        const text = n.text.replace(/\s+/g, " ");
        const last = out.at(-1);
        if (last?.text === "\n") last.text += text.trimStart();
        else out.push({ ...base, text });
      } else if (n.name === "br") out.push({ ...base, text: "\n" });
      else if (n.name === "b") runsOf(n.children, { ...base, bold: true }, out);
      else if (n.name === "a") runsOf(n.children, { ...base, link: n.attrs.href, colour: theme.colours.primary }, out);
      else
        runsOf(
          n.children,
          { ...base, colour: colour(n.attrs.colour, base.colour), size: size(n.attrs.size, base.size) },
          out,
        );
    }
    return out;
  };

  /** `runs` cut at each line break: pdfkit's continued text does not go back to the margin after one. */
  const lines = (runs: Run[]): Run[][] => {
    const out: Run[][] = [[]];
    for (const r of runs) {
      if (r.text.startsWith("\n")) out.push([{ ...r, text: r.text.slice(1) }]);
      else out.at(-1)!.push(r);
    }
    return out.filter((l) => l.length > 0);
  };
  /** Height of one line's runs in `width`: measured in the first run's face and size, pdfkit measuring one. */
  const lineHeight = (runs: Run[], width: number) => {
    const r = runs[0];
    doc.font(r.bold ? "bold" : "body").fontSize(r.size);
    return doc.heightOfString(runs.map((x) => x.text).join(""), { width, lineGap: r.size * 0.25 });
  };
  const textHeight = (runs: Run[], width: number) => lines(runs).reduce((h, l) => h + lineHeight(l, width), 0);
  const drawText = (runs: Run[], x: number, y: number, width: number, align: string) => {
    let top = y;
    for (const line of lines(runs)) {
      line.forEach((r, i) => {
        doc
          .font(r.bold ? "bold" : "body")
          .fontSize(r.size)
          .fillColor(r.colour);
        const options = { width, align, lineGap: r.size * 0.25, continued: i < line.length - 1, link: r.link ?? null };
        if (i === 0) doc.text(r.text, x, top, options as PDFKit.Mixins.TextOptions);
        else doc.text(r.text, options as PDFKit.Mixins.TextOptions);
      });
      top += lineHeight(line, width);
    }
  };
  /** Whether the frames being drawn are artifacts (running header and footer): their content is not tagged. */
  let artifact = false;
  const tagged = (type: string, draw: () => void, alt?: string) => {
    if (artifact) draw();
    else structure.add(doc.struct(type as "P", alt ? { alt } : {}, draw));
  };

  /** Draws `el` at (x, y) in `width` when `draw`, and returns its height (space after included). */
  const block = (el: MarkupElement, x: number, y: number, width: number, draw: boolean): number => {
    const a = el.attrs;
    const after = (fallback: number) => len(a["space-after"], fallback);
    switch (el.name) {
      case "heading":
      case "p": {
        const heading = el.name === "heading";
        const runs = runsOf(el.children, {
          text: "",
          bold: heading || a.weight === "bold",
          colour: colour(a.colour, heading ? theme.colours.primary : theme.colours.text),
          size: size(a.size, heading ? theme.sizes[`h${a.level ?? "2"}` as "h1"] : theme.sizes.body),
        });
        const before = len(a["space-before"], heading ? theme.spacing.section / 2 : 0);
        const h = textHeight(runs, width);
        if (draw)
          tagged(heading ? `H${a.level ?? "2"}` : "P", () => drawText(runs, x, y + before, width, a.align ?? "left"));
        return before + h + after(heading ? theme.spacing.unit * 1.5 : theme.spacing.paragraph);
      }
      case "spacer":
        return len(a.height, 14);
      case "rule": {
        const before = len(a["space-before"], 4);
        if (draw)
          doc
            .moveTo(x, y + before)
            .lineTo(x + width, y + before)
            .lineWidth(len(a.thickness, 0.75))
            .strokeColor(colour(a.colour, theme.colours.border))
            .stroke();
        return before + after(4);
      }
      case "box": {
        const pad = len(a.padding, 8);
        const inner = stack(childElements(el), x + pad, y + pad, width - 2 * pad, false);
        const h = inner + 2 * pad;
        if (draw) {
          const r = len(a.radius, 0);
          if (a.background) doc.roundedRect(x, y, width, h, r).fillColor(colour(a.background, "")).fill();
          if (a.border) doc.roundedRect(x, y, width, h, r).lineWidth(0.75).strokeColor(colour(a.border, "")).stroke();
          stack(childElements(el), x + pad, y + pad, width - 2 * pad, true);
        }
        return len(a["space-before"], 0) + h + after(theme.spacing.paragraph);
      }
      case "row": {
        const cols = childElements(el);
        const gap = len(a.gap, 12);
        const w = widths(
          cols.map((c) => c.attrs.width ?? "1fr"),
          width,
          gap,
        );
        let cx = x;
        let h = 0;
        const before = len(a["space-before"], 0);
        cols.forEach((c, i) => {
          h = Math.max(h, stack(childElements(c), cx, y + before, w[i], draw));
          cx += w[i] + gap;
        });
        return before + h + after(theme.spacing.paragraph);
      }
      case "keep-together":
        return stack(childElements(el), x, y, width, draw);
      case "chart": {
        const h = len(a.height, 160);
        if (draw)
          tagged(
            "Figure",
            () =>
              SVGtoPDF(doc, chart.svg, x, y + 4, {
                width: len(a.width, width),
                height: h,
                assumePt: true,
                fontCallback: (_f, bold) => (bold ? "bold" : "body"),
              }),
            a.alt ?? chart.alt,
          );
        return h + 10;
      }
      case "qr": {
        const side = len(a.size, 80);
        if (draw)
          tagged(
            "Figure",
            () => {
              const g = qrRuns(qrMatrix(a.data ?? ""));
              const m = side / g.span;
              for (const r of g.runs) doc.rect(x + r.col * m, y + r.row * m, r.length * m, m);
              doc.fillColor("#000").fill();
            },
            a.alt ?? "",
          );
        return side + after(0);
      }
      case "table":
        return table(el, x, y, width, draw);
      case "page-number":
        return 10;
      default:
        return stack(childElements(el), x, y, width, draw);
    }
  };
  const stack = (els: MarkupElement[], x: number, y: number, width: number, draw: boolean): number => {
    let h = 0;
    for (const el of els) h += block(el, x, y + h, width, draw);
    return h;
  };

  // The flow: page geometry of the first and the other pages.
  const templates = childElements(root).filter((t) => t.name === "page-template");
  const first = templates.find((t) => t.attrs.for !== "rest");
  const rest = templates.find((t) => t.attrs.for === "rest") ?? first;
  const flowOf = (t: MarkupElement | undefined) => childElements(t ?? root).find((f) => f.name === "flow");
  const frames = (t: MarkupElement | undefined, artifacts: boolean) => {
    for (const f of t ? childElements(t).filter((f) => f.name === "frame") : []) {
      if ((f.attrs.artifact === "true") !== artifacts) continue;
      const draw = () => stack(childElements(f), len(f.attrs.x, 0), len(f.attrs.y, 0), len(f.attrs.width, 0), true);
      artifact = artifacts;
      if (artifacts) doc.markContent("Artifact");
      draw();
      if (artifacts) doc.endMarkedContent();
      artifact = false;
    }
  };
  let bottom = 0;
  /** Where the last table drawn ended, on the page it ended on. */
  let tableEnd = 0;
  let cursor = 0;
  let x0 = 20 * MM;
  let flowWidth = 170 * MM;
  const newPage = (t: MarkupElement | undefined) => {
    doc.addPage({ size: "A4", margin: 0 });
    const flow = flowOf(t);
    x0 = len(flow?.attrs.x, 20 * MM);
    flowWidth = len(flow?.attrs.width, 170 * MM);
    cursor = len(flow?.attrs.y, 26 * MM);
    bottom = cursor + len(flow?.attrs.height, 248 * MM);
    frames(t, false);
  };

  /** The charges table: rows drawn until one does not fit, then a new page and the header again. */
  function table(el: MarkupElement, x: number, y: number, width: number, draw: boolean): number {
    const a = el.attrs;
    const rows = childElements(el);
    const heads = rows.filter((r) => r.name === "thead").flatMap((t) => childElements(t));
    const body = rows.filter((r) => r.name === "tr");
    const sample = heads[0] ?? body[0];
    const n = sample ? childElements(sample).reduce((k, c) => k + Number(c.attrs.span ?? 1), 0) : 0;
    const pad = 3;
    // An auto column is as wide as its widest single-column cell.
    const specs = (a.widths ?? "").split(/\s+/).filter(Boolean).concat(Array(n).fill("1fr")).slice(0, n);
    const auto = specs.map(() => 0);
    for (const r of [...heads, ...body]) {
      let col = 0;
      for (const c of childElements(r)) {
        const span = Number(c.attrs.span ?? 1);
        if (span === 1 && specs[col] === "auto") {
          const runs = runsOf(c.children, { text: "", bold: true, colour: "", size: theme.sizes.body });
          doc.font("bold").fontSize(theme.sizes.body);
          auto[col] = Math.max(auto[col], doc.widthOfString(runs.map((x) => x.text).join("")) + 2 * pad + 1);
        }
        col += span;
      }
    }
    const w = widths(
      specs.map((s, i) => (s === "auto" ? `${auto[i]}pt` : s)),
      width,
      0,
    );
    const align = (a.align ?? "").split(/\s+/);
    const cells = (r: MarkupElement, head: boolean) => {
      let col = 0;
      return childElements(r).map((c) => {
        const span = Number(c.attrs.span ?? 1);
        const cw = w.slice(col, col + span).reduce((s, v) => s + v, 0);
        const al = c.attrs.align ?? align[col + span - 1] ?? "left";
        const at = w.slice(0, col).reduce((s, v) => s + v, 0);
        col += span;
        const runs = runsOf(c.children, {
          text: "",
          bold: head || r.attrs.kind === "total",
          colour: head ? "#FFFFFF" : theme.colours.text,
          size: theme.sizes.body,
        });
        return { runs, at, cw, al, head: head || c.name === "th" };
      });
    };
    const rowHeight = (cs: ReturnType<typeof cells>) =>
      Math.max(...cs.map((c) => textHeight(c.runs, c.cw - 2 * pad))) + 2 * pad;
    const drawRow = (cs: ReturnType<typeof cells>, ry: number, h: number, fill?: string) => {
      if (fill) doc.rect(x, ry, width, h).fillColor(fill).fill();
      for (const c of cs)
        tagged(c.head ? "TH" : "TD", () => drawText(c.runs, x + c.at + pad, ry + pad, c.cw - 2 * pad, c.al));
    };
    const head = heads.map((r) => cells(r, true));
    const headHeight = head.reduce((s, cs) => s + rowHeight(cs), 0);
    const drawHead = (hy: number) => {
      let yy = hy;
      for (const cs of head) {
        const h = rowHeight(cs);
        drawRow(cs, yy, h, theme.colours.primary);
        yy += h;
      }
      return yy - hy;
    };
    const before = len(a["space-before"], 4);
    let yy = y + before;
    if (draw) yy += drawHead(yy);
    else yy += headHeight;
    body.forEach((r, i) => {
      const cs = cells(r, false);
      const h = rowHeight(cs);
      if (!draw) {
        yy += h;
        return;
      }
      // Only the flow's table breaks: a table inside a frame or box is never taller than its place.
      if (yy + h > bottom) {
        newPage(rest);
        yy = cursor + drawHead(cursor);
      }
      const kind = r.attrs.kind ?? "";
      if (kind === "total" || kind === "subtotal")
        doc
          .moveTo(x, yy)
          .lineTo(x + width, yy)
          .lineWidth(kind === "total" ? 1.2 : 0.6)
          .strokeColor(kind === "total" ? "#000" : theme.colours.border)
          .stroke();
      drawRow(cs, yy, h, a.zebra === "true" && i % 2 === 1 && kind === "" ? theme.colours.surface : undefined);
      yy += h;
    });
    const end = yy + len(a["space-after"], theme.spacing.paragraph);
    tableEnd = end;
    return end - y;
  }

  newPage(first);
  const bodyEl = childElements(root).find((b) => b.name === "body");
  for (const el of bodyEl ? childElements(bodyEl) : []) {
    const h = block(el, x0, cursor, flowWidth, false);
    if (el.name !== "table" && cursor + h > bottom && cursor > len(flowOf(rest)?.attrs.y, 0)) newPage(rest);
    const drawn = block(el, x0, cursor, flowWidth, true);
    // A table may have broken across pages: it ends where its last row ended.
    cursor = el.name === "table" ? tableEnd : cursor + drawn;
  }

  // Running frames (artifacts) on every page, the page numbers now that the count is known.
  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    const t = i === 0 ? first : rest;
    frames(t, true);
    for (const f of t ? childElements(t).filter((f) => f.name === "frame" && f.attrs.artifact === "true") : [])
      for (const pn of findAll(f, "page-number")) {
        const text = (pn.attrs.format ?? "{page} / {pages}")
          .replace("{page}", String(i + 1))
          .replace("{pages}", String(range.count));
        doc.markContent("Artifact");
        doc
          .font("body")
          .fontSize(7)
          .fillColor(theme.colours.muted)
          .text(text, len(f.attrs.x, 0), len(f.attrs.y, 0) + 8, { width: len(f.attrs.width, 0), align: "right" });
        doc.endMarkedContent();
      }
  }
  structure.end();
  doc.end();
  return ended.then((bytes) => ({ bytes, pages: range.count }));
}

function findAll(el: MarkupElement, name: string, out: MarkupElement[] = []): MarkupElement[] {
  for (const c of childElements(el)) {
    if (c.name === name) out.push(c);
    findAll(c, name, out);
  }
  return out;
}
