import { type Problem, problem } from "../../core/index.ts";
import { parseLength } from "../../layout/index.ts";
import type { MarkupElement } from "./markup.ts";

/**
 * The types an element attribute may declare. `colour` is a theme colour name or `#rrggbb`; `size` a theme
 * size name or points; `length` a number with pt, mm, cm or in; `enum` one of the listed words.
 */
export type AttributeType =
  | { type: "string" }
  | { type: "length" }
  | { type: "number" }
  | { type: "boolean" }
  | { type: "colour" }
  | { type: "size" }
  | { type: "enum"; values: readonly string[] };

export type AttributeSpecs = Readonly<Record<string, AttributeType & { required?: boolean }>>;

export const str = { type: "string" } as const;
export const len = { type: "length" } as const;
export const num = { type: "number" } as const;
export const bool = { type: "boolean" } as const;
export const colour = { type: "colour" } as const;
export const size = { type: "size" } as const;
export const oneOf = (...values: string[]) => ({ type: "enum", values }) as const;
export const required = <T extends AttributeType>(t: T) => ({ ...t, required: true }) as const;

/** Common to every block element: the space above and below it. */
export const SPACING: AttributeSpecs = { "space-before": len, "space-after": len };

const HEX = /^#[0-9a-fA-F]{6}$/;

/** Checks an element's attributes against its declaration; each problem names the attribute and where. */
export function checkAttributes(
  el: MarkupElement,
  specs: AttributeSpecs,
  colourNames: readonly string[],
  sizeNames: readonly string[],
): Problem[] {
  const out: Problem[] = [];
  const bad = (name: string, why: string) =>
    out.push(problem("OMD_PDF_MARKUP", `<${el.name} ${name}="${el.attrs[name]}">: ${why}`, el.at));
  for (const [name, value] of Object.entries(el.attrs)) {
    const spec = specs[name];
    if (!spec) {
      out.push(
        problem(
          "OMD_PDF_MARKUP",
          `<${el.name}> has no attribute "${name}"`,
          el.at,
          `known: ${Object.keys(specs).join(", ") || "none"}`,
        ),
      );
      continue;
    }
    if (spec.type === "length" && parseLength(value) === undefined) bad(name, "not a length (e.g. 12pt, 20mm)");
    if (spec.type === "number" && !Number.isFinite(Number(value))) bad(name, "not a number");
    if (spec.type === "boolean" && value !== "true" && value !== "false") bad(name, "must be true or false");
    if (spec.type === "colour" && !HEX.test(value) && !colourNames.includes(value))
      bad(name, `not #rrggbb or a theme colour (${colourNames.join(", ")})`);
    if (spec.type === "size" && !Number.isFinite(Number(value)) && !sizeNames.includes(value))
      bad(name, `not points or a theme size (${sizeNames.join(", ")})`);
    if (spec.type === "enum" && !spec.values.includes(value)) bad(name, `must be one of ${spec.values.join(", ")}`);
  }
  for (const [name, spec] of Object.entries(specs))
    if (spec.required && el.attrs[name] === undefined)
      out.push(problem("OMD_PDF_MARKUP", `<${el.name}> needs a "${name}" attribute`, el.at));
  return out;
}

/** Typed reads of attributes already checked (a bad value reads as absent). */
export class Attrs {
  constructor(private readonly el: MarkupElement) {}
  string(name: string): string | undefined {
    return this.el.attrs[name];
  }
  length(name: string): number | undefined {
    const v = this.el.attrs[name];
    return v === undefined ? undefined : parseLength(v);
  }
  number(name: string): number | undefined {
    const v = this.el.attrs[name];
    return v === undefined || !Number.isFinite(Number(v)) ? undefined : Number(v);
  }
  boolean(name: string): boolean {
    return this.el.attrs[name] === "true";
  }
}
