import { describe, expect, it } from "vitest";
import { buildDocument } from "../../../src/channels/pdf/build.ts";
import { TextBlock } from "../../../src/channels/pdf/elements/text-block.ts";
import { parseMarkup } from "../../../src/channels/pdf/index.ts";
import { Styles } from "../../../src/channels/pdf/style.ts";
import { type Line, type Stack, composePages, paintDocument } from "../../../src/layout/index.ts";
import { fakeEnv, recordingPainter } from "../../support/pdf-layout.ts";
import { theme } from "../../support/pdf-render.ts";

const lines = (n: number): Line[] => Array.from({ length: n }, () => ({ runs: [], width: 0, height: 10, baseline: 8 }));
const para = (n: number) => new TextBlock(lines(n), 100, { align: "left", role: "P", spaceBefore: 0, spaceAfter: 0 });

describe("paragraph widows and orphans", () => {
  it("leaves at least two lines at a page's foot, or moves the paragraph", () => {
    expect(para(5).split(15, false)).toBeNull();
    const s = para(5).split(25, false)!;
    expect([s.head.height, s.tail!.height]).toEqual([20, 30]);
  });

  it("carries at least two lines to the next page", () => {
    const s = para(5).split(45, false)!;
    expect([s.head.height, s.tail!.height]).toEqual([30, 20]);
  });
});

const doc = (body: string, frame = "") =>
  `<document title="T"><page-template><frame name="f" x="0" y="0" width="100mm" height="20mm">${frame}</frame><flow x="10mm" y="30mm" width="150mm" height="80mm"/></page-template><body>${body}</body></document>`;

function build(markup: string) {
  const root = parseMarkup(markup, "test.hbs");
  if (!root.ok) return { problems: root.problems };
  return buildDocument(root.value, { styles: new Styles(theme()), charts: new Map(), images: new Map() });
}

describe("markup", () => {
  it("turns escaped data into text, never into elements", () => {
    const root = parseMarkup(doc("<p>&lt;/p&gt;&lt;page-break/&gt; &lt;script&gt;x&lt;/script&gt; &amp;amp;</p>"), "t");
    expect(root.ok).toBe(true);
    if (!root.ok) return;
    const body = root.value.children.find((c) => c.kind === "element" && c.name === "body");
    const p = body?.kind === "element" ? body.children[0] : undefined;
    expect(p?.kind === "element" && p.children).toEqual([
      { kind: "text", text: "</p><page-break/> <script>x</script> &amp;" },
    ]);
  });

  it("reports unknown elements, unknown attributes and bad values with their location", () => {
    const r = build(
      doc('<p colour="nope">a</p>\n<marquee/><heading level="7" shade="3">b</heading><box padding="wide"/>'),
    );
    const messages = r.problems.map((p) => `${p.code} ${p.message} @${p.at}`);
    expect(messages.some((m) => m.includes("not #rrggbb or a theme colour"))).toBe(true);
    expect(messages.some((m) => m.includes("<marquee> is not an element") && m.includes("@test.hbs:2:1"))).toBe(true);
    expect(messages.some((m) => m.includes('<heading> has no attribute "shade"'))).toBe(true);
    expect(messages.some((m) => m.includes("must be one of 1, 2, 3"))).toBe(true);
    expect(messages.some((m) => m.includes("not a length"))).toBe(true);
  });

  it("asks for a document title, which PDF/UA readers show instead of the file name", () => {
    const untitled = build(doc("<p>a</p>").replace(' title="T"', ""));
    expect(untitled.problems.map((p) => p.message)).toContain('<document> needs a "title" attribute');
    const blank = build(doc("<p>a</p>").replace(' title="T"', ' title="  "'));
    expect(blank.problems.map((p) => p.message)).toContain(
      "<document title> is empty: readers show the title instead of the file name",
    );
  });

  it("reports an unclosed element and text outside a text element", () => {
    expect(build(doc("<box><p>a</p>")).problems.some((p) => p.message.includes("<box> is not closed"))).toBe(true);
    expect(build(doc("loose words")).problems.some((p) => p.message.includes("must be inside <p>"))).toBe(true);
  });
});

describe("tables across pages", () => {
  const rows = Array.from({ length: 40 }, (_, i) => `<tr><td>row ${i + 1}</td><td>${i}</td></tr>`).join("");
  const markup = doc(
    `<table widths="1fr 20mm" align="left right" zebra="true"><thead><tr><th>Head</th><th>N</th></tr></thead>${rows}<tr kind="subtotal"><td>Sub</td><td>1</td></tr><tr kind="total"><td>Total</td><td>2</td></tr></table>`,
    '<page-number format="Page {page} of {pages}"/>',
  );

  it("repeats the header rows on every page and prints every row once", () => {
    const built = build(markup);
    expect(built.problems).toEqual([]);
    const d = built.doc!;
    const laid = composePages(d.body, d.first, d.rest, fakeEnv());
    expect(laid.pages.length).toBeGreaterThan(1);
    const painter = recordingPainter();
    const perPage: string[][] = [];
    paintDocument(laid, painter, () => perPage.push([]));
    // Texts are recorded in order; split them by the page they were painted on.
    let page = -1;
    for (const t of painter.texts) {
      if (t.text.startsWith("Page ")) page++;
      perPage[page]?.push(t.text);
    }
    for (const texts of perPage) expect(texts.filter((t) => t === "Head")).toHaveLength(1);
    const printed = perPage.flat().filter((t) => /^row$/.test(t) || /^\d+$/.test(t));
    expect(printed.length).toBeGreaterThan(0);
    const rowsPrinted =
      painter.texts
        .map((t) => t.text)
        .join(" ")
        .match(/row \d+/g) ?? [];
    expect(rowsPrinted).toHaveLength(40);
    expect(perPage.at(-1)).toContain("Total");
    expect(perPage.map((p) => p.find((t) => t.startsWith("Page ")))).toEqual(
      perPage.map((_, i) => `Page ${i + 1} of ${perPage.length}`),
    );
  });

  it("keeps totals rows with the row above them", () => {
    const d = build(markup).doc!;
    const table = (d.body.layout(400, fakeEnv()) as Stack).items[0];
    // One point short of the whole table: only the total row would be left over, so the last body row
    // (and the subtotal) move with it.
    const s = table.split(table.height - 1, false)!;
    const painter = recordingPainter();
    s.tail!.paint(painter, 0, 0, { number: 2, count: 2 });
    const texts = painter.texts.map((t) => t.text);
    expect(texts).toContain("Total");
    expect(texts.join(" ")).toContain("row 40");
    expect(texts.join(" ")).not.toContain("row 38");
  });
});

describe("<qr>", () => {
  const link = `https://www.northwind-energy.example/en/winter-guide?utm_source=omnidoc&cid=${"x".repeat(60)}`;
  const qrIn = (column: string) =>
    doc(`<row><column width="${column}"><qr data="${link}" size="22mm"/></column><column><p>a</p></column></row>`);

  function laidOut(markup: string) {
    const r = build(markup);
    if (!r.doc) throw new Error(JSON.stringify(r.problems));
    const env = fakeEnv();
    const laid = composePages(r.doc.body, r.doc.first, r.doc.rest, env);
    return { height: laid.pages[0].flow?.height ?? 0, problems: env.problems };
  }

  it("grows past its size until its modules are 0.51 mm, within its column", () => {
    const { height, problems } = laidOut(qrIn("30mm"));
    expect(problems).toEqual([]);
    expect(height).toBeGreaterThan((22 * 72) / 25.4);
    expect(height).toBeLessThanOrEqual((30 * 72) / 25.4);
  });

  it("reports a column too narrow for modules that scan, with its location", () => {
    const { problems } = laidOut(qrIn("20mm"));
    expect(problems).toEqual([
      expect.objectContaining({ code: "OMD_PDF_QR_TOO_SMALL", at: expect.stringMatching(/^test\.hbs:1:\d+$/) }),
    ]);
    expect(problems[0].message).toMatch(/needs 2\d\.\d mm for modules of 0\.51 mm but has 20\.0 mm/);
  });
});

describe("<frame shrink>", () => {
  const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join("<br/>");
  const framed = (attrs: string, n: number) =>
    `<document title="T"><page-template><frame name="window" x="0" y="0" width="90mm" height="30mm"${attrs}><p space-after="0pt">${lines(n)}</p></frame><flow x="10mm" y="40mm" width="150mm" height="80mm"/></page-template><body><p>b</p></body></document>`;

  function overflows(markup: string) {
    const r = build(markup);
    if (!r.doc) throw new Error(JSON.stringify(r.problems));
    const env = fakeEnv();
    const laid = composePages(r.doc.body, r.doc.first, r.doc.rest, env);
    return { problems: laid.problems.map((p) => p.code), height: laid.pages[0].frames[0].content.height };
  }

  it("sets text smaller, down to the factor given, until it fits the frame", () => {
    const n = 8;
    expect(overflows(framed("", n)).problems).toEqual(["OMD_PDF_FRAME_OVERFLOW"]);
    const shrunk = overflows(framed(' shrink="0.8"', n));
    expect(shrunk.problems).toEqual([]);
    expect(shrunk.height).toBeLessThanOrEqual((30 * 72) / 25.4);
  });

  it("leaves content that fits as it is, and reports what does not fit at the smallest size", () => {
    expect(overflows(framed(' shrink="0.8"', 3)).height).toBe(overflows(framed("", 3)).height);
    expect(overflows(framed(' shrink="0.9"', 12)).problems).toEqual(["OMD_PDF_FRAME_OVERFLOW"]);
  });

  it("will not shrink below half size", () => {
    expect(build(framed(' shrink="0.2"', 3)).problems.map((p) => p.message)).toEqual([
      '<frame shrink="0.2">: must be from 0.5 to 1',
    ]);
  });
});
