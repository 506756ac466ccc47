/** docs/pdf-elements.md: every element of the PDF markup and its attributes, from their own declarations. */
import type { AttributeType } from "../../src/channels/pdf/attributes.ts";
import { ELEMENTS, INLINE_ATTRIBUTES, STRUCTURE } from "../../src/channels/pdf/index.ts";
import { GENERATED_NOTE } from "./generated.ts";

type Specs = Readonly<Record<string, AttributeType & { required?: boolean }>>;

const typeOf = (t: AttributeType) => (t.type === "enum" ? t.values.map((v) => `\`${v}\``).join(" \\| ") : t.type);

const attributes = (specs: Specs) =>
  Object.entries(specs)
    .map(([name, t]) => `\`${name}\`${t.required ? " (required)" : ""}: ${typeOf(t)}`)
    .join("; ") || "none";

/** A summary's own markup names (`<item>`) as code, so Markdown shows them. */
const prose = (summary: string) => summary.replace(/<[^>]+>/g, (tag) => `\`${tag}\``);

const blocks = () => [
  "| element | what it is | attributes |",
  "| --- | --- | --- |",
  ...[...ELEMENTS.values()].map((k) => `| \`<${k.name}>\` | ${prose(k.summary)} | ${attributes(k.attributes)} |`),
];

const table = (elements: Readonly<Record<string, Specs>>) => [
  "| element | attributes |",
  "| --- | --- |",
  ...Object.entries(elements).map(([name, specs]) => `| \`<${name}>\` | ${attributes(specs)} |`),
];

export function pdfElementsDoc(): string {
  return [
    "# PDF markup: elements and attributes",
    "",
    GENERATED_NOTE("the element declarations in src/channels/pdf/"),
    "",
    "What each element of the PDF layout markup takes, as the markup checker reads it; an attribute not listed",
    "is an `OMD_PDF_MARKUP` problem. How the elements work together: [pdf-markup.md](pdf-markup.md).",
    "",
    "## Document structure",
    "",
    ...table(STRUCTURE),
    "",
    "## Blocks",
    "",
    ...blocks(),
    "",
    "## Inline",
    "",
    ...table(INLINE_ATTRIBUTES),
    "",
  ].join("\n");
}
