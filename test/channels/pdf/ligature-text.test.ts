import { describe, expect, it } from "vitest";
import { glyphText } from "../../../src/channels/pdf/paint/ligature-text.ts";
import { type Language, parseProfileLine } from "../../../src/profile/index.ts";
import { generateLines } from "../../support/customers.ts";
import { pdfText, renderPdf } from "../../support/pdf-render.ts";
import { pdfView } from "../../support/pdf-views.ts";

/** Unicode's Latin ligatures (ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ): a reader copying them gets no word to search for. */
const LIGATURE = /[\uFB00-\uFB06]/u;
const LETTERS_SHAPING_JOINS = /\p{L}*f[fil]\p{L}*/gu;

/** Every string value in `value`, nested ones included. */
function textsOf(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (value && typeof value === "object") return Object.values(value).flatMap(textsOf);
  return [];
}

const customers = generateLines(24, "--seed", "15", "--locale", "en-GB,fr-FR,de-DE").map((line, i) => {
  const r = parseProfileLine(line, i + 1);
  if (!r.ok) throw new Error(`generated line ${i + 1} is invalid`);
  return r.value;
});

describe("ligatures copy back as their letters", () => {
  it("maps each Latin ligature to its letters and leaves other text alone", () => {
    const text = (s: string) => String.fromCodePoint(...glyphText([...s].map((c) => c.codePointAt(0)!)));
    expect(text("ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ")).toBe("ff fi fl ffi ffl st st");
    expect(text("Straße Ærø €")).toBe("Straße Ærø €");
  });

  it.each(["energy-bill", "payment-reminder"])(
    "%s: text extracted from statements in English, French and German holds words, not ligatures",
    async (template) => {
      const languages = new Set<Language>();
      for (const p of customers) {
        const language = p.preferences.language;
        languages.add(language);
        const view = pdfView(p, {}, template);
        const text = pdfText((await renderPdf(view, `templates/${template}`)).file);
        expect(text.match(LIGATURE), `${p.id} (${language})`).toBeNull();
        // Words of the statement's labels and copy that shaping joins letters in (finding, offre, schwerfällt)
        // are there whole.
        const words = new Set(textsOf(view).flatMap((t) => t.match(LETTERS_SHAPING_JOINS) ?? []));
        const printed = [...words].filter((w) => text.includes(w));
        expect(printed.length, `${p.id} (${language}): none of ${[...words].join(", ")}`).toBeGreaterThan(0);
      }
      expect([...languages].sort()).toEqual(["de", "en", "fr"]);
    },
    60_000,
  );
});
