import { readFileSync } from "node:fs";
import * as fontkit from "fontkit";
import PDFDocument from "pdfkit";
import { describe, expect, it } from "vitest";
import {
  type InternalOwner,
  type MemberKind,
  RELIED_ON,
  type ReliedMember,
  pdfkitDocument,
} from "../../../src/channels/pdf/paint/pdfkit-internals.ts";

const BODY = "node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf";

function kindOf(value: unknown): MemberKind | "undefined" | "null" | "other" {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  // pdfkit makes its own identifier a Uint8Array; ours is a Buffer, which is one.
  if (value instanceof Uint8Array) return "buffer";
  if (Array.isArray(value)) return "array";
  const t = typeof value;
  return t === "function" || t === "object" || t === "number" || t === "string" || t === "boolean" ? t : "other";
}

/** Why `owner` breaks the paint layer's reliance on `entry`, or undefined when it keeps it. */
function mismatch(owner: unknown, entry: ReliedMember): string | undefined {
  const value = owner == null ? undefined : (owner as Record<string, unknown>)[entry.member];
  const kind = kindOf(value);
  if (kind === entry.kind) return undefined;
  return (
    `${entry.owner}.${entry.member} is no longer ${entry.kind === "array" || entry.kind === "object" ? "an" : "a"} ` +
    `${entry.kind} (it is ${kind}): the paint layer relies on it (${entry.why})`
  );
}

/** One real document with a face registered, a page and text painted, and each object the list names. */
function realObjects(): Record<InternalOwner, unknown> {
  const doc = new PDFDocument({ autoFirstPage: false, font: null as unknown as string });
  const font = fontkit.create(readFileSync(BODY));
  doc.font(font as unknown as string, "body");
  doc.addPage({ size: [200, 200], margin: 0 });
  doc.text("Ab", 10, 10);
  const pdf = pdfkitDocument(doc);
  return {
    "pdfkit PDFDocument": pdf,
    "pdfkit PDFPage": pdf.page,
    "pdfkit EmbeddedFont": pdf._font,
    "pdfkit PDFReference": pdf.ref({}),
    "pdfkit PDFStructureElement": doc.struct("P"),
    "fontkit Font": font,
    "fontkit Glyph": font.glyphForCodePoint(0x41),
  };
}

describe("pdfkit and fontkit members the paint layer relies on", () => {
  const objects = realObjects();

  it.each(RELIED_ON.map((m) => [`${m.owner}.${m.member}`, m] as const))("%s is still there", (_, entry) => {
    const problem = mismatch(objects[entry.owner], entry);
    expect(problem, problem).toBeUndefined();
  });

  it("names the member, its kind and why when one is gone", () => {
    const flushPages = RELIED_ON.find((m) => m.owner === "pdfkit PDFDocument" && m.member === "flushPages")!;
    expect(mismatch({}, flushPages)).toMatch(
      /^pdfkit PDFDocument\.flushPages is no longer a function \(it is undefined\): the paint layer relies on it \(wrapped/,
    );
    const id = RELIED_ON.find((m) => m.member === "_id")!;
    expect(mismatch({ _id: "not bytes" }, id)).toContain("pdfkit PDFDocument._id is no longer a buffer (it is string)");
  });

  it("lists each member once", () => {
    const names = RELIED_ON.map((m) => `${m.owner}.${m.member}`);
    expect(new Set(names).size).toBe(names.length);
  });
});
