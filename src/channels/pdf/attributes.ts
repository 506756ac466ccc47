import { type Problem, problem } from "../../core/index.ts";
import { parseLength } from "../../layout/index.ts";
import type { MarkupElement } from "./markup.ts";
import type { Styles } from "./style.ts";

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
  { colourNames, sizeNames }: Pick<Styles, "colourNames" | "sizeNames">,
): Problem[] {
  const out: Problem[] = [];
  for (const name in el.attrs) {
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
    const why = badValue(spec, el.attrs[name], colourNames, sizeNames);
    if (why) out.push(problem("OMD_PDF_MARKUP", `<${el.name} ${name}="${el.attrs[name]}">: ${why}`, el.at));
  }
  for (const name in specs)
    if (specs[name].required && el.attrs[name] === undefined)
      out.push(problem("OMD_PDF_MARKUP", `<${el.name}> needs a "${name}" attribute`, el.at));
  return out;
}

/** What is wrong with `value` for `spec`, or undefined when nothing is. */
function badValue(
  spec: AttributeType,
  value: string,
  colourNames: readonly string[],
  sizeNames: readonly string[],
): string | undefined {
  switch (spec.type) {
    case "length":
      return parseLength(value) === undefined ? "not a length (e.g. 12pt, 20mm)" : undefined;
    case "number":
      return Number.isFinite(Number(value)) ? undefined : "not a number";
    case "boolean":
      return value === "true" || value === "false" ? undefined : "must be true or false";
    case "colour":
      return HEX.test(value) || colourNames.includes(value)
        ? undefined
        : `not #rrggbb or a theme colour (${colourNames.join(", ")})`;
    case "size":
      return Number.isFinite(Number(value)) || sizeNames.includes(value)
        ? undefined
        : `not points or a theme size (${sizeNames.join(", ")})`;
    case "enum":
      return spec.values.includes(value) ? undefined : `must be one of ${spec.values.join(", ")}`;
    default:
      return undefined;
  }
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
