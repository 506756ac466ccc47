import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { type Profile, parseProfileLine } from "../../../src/profile/index.ts";
import { generateLines } from "../../support/customers.ts";
import { renderPdf } from "../../support/pdf-render.ts";
import { pdfView } from "../../support/pdf-views.ts";

/**
 * The address block as the post office reads it through the envelope window, read back by poppler from the
 * rendered page and held to the postal rules, not to omnidoc's own formatter. The sample theme posts from
 * Britain: British addresses are domestic (Royal Mail), French, German and Irish ones go abroad (UPU: the
 * locality and then the country's name in capitals, in English, on the last line).
 */

/** Royal Mail's postcode: outward code (area, district), a space, inward code (sector, unit). */
const UK_POSTCODE = /^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$/;
const COUNTRY_NAME: Record<string, string> = { FR: "FRANCE", DE: "GERMANY", IE: "IRELAND" };

/** The text of the page between `top` and `bottom` mm inside the window's column (x 20 mm, 90 mm wide). */
function textBetween(file: string, top: number, bottom: number): string[] {
  const pt = (mm: number) => String(Math.round((mm * 72) / 25.4));
  const text = execFileSync(
    "pdftotext",
    ["-f", "1", "-l", "1", "-x", pt(20), "-y", pt(top), "-W", pt(90), "-H", pt(bottom - top), "-layout", file, "-"],
    { encoding: "utf8" },
  );
  return text
    .split("\n")
    .map((l) => l.trim().normalize("NFKC")) // ligature glyphs (ﬀ) read back as their letters
    .filter(Boolean)
    .slice(1); // the return address
}

/** The window is 45 to 75 mm from the top; the letter's body starts below 88 mm. */
const inWindow = (file: string) => textBetween(file, 45, 75);
const addressBlock = (file: string) => textBetween(file, 45, 88);

/** What the destination's post asks of the last lines, for mail posted in Britain. */
function expectedTail(a: Profile["contact"]["address"]): string[] {
  switch (a.country) {
    case "GB":
      return [a.city.toUpperCase(), a.postcode];
    case "IE":
      return [a.city.toUpperCase(), a.postcode, "IRELAND"];
    default:
      return [`${a.postcode} ${a.city.toUpperCase()}`, COUNTRY_NAME[a.country]];
  }
}

const customers = generateLines(48, "--seed", "15").map((line, i) => {
  const r = parseProfileLine(line, i + 1);
  if (!r.ok) throw new Error(`generated line ${i + 1} is invalid`);
  return r.value;
});

describe.each(["energy-bill", "payment-reminder"])("the %s address window", (template) => {
  it("prints every generated customer's address in the destination's format, within the window", async () => {
    const countries = new Set<string>();
    for (const p of customers) {
      const r = await renderPdf(pdfView(p, {}, template), `templates/${template}`);
      const lines = addressBlock(r.file);
      const a = p.contact.address;
      const tail = expectedTail(a);
      countries.add(a.country);
      expect(lines.slice(-tail.length), p.id).toEqual(tail);
      if (a.country === "GB") {
        expect(lines.at(-1), p.id).toMatch(UK_POSTCODE);
        expect(lines, `${p.id}: no country line on domestic mail`).not.toContain("UNITED KINGDOM");
      }
      expect(lines[0], p.id).toContain(p.name.last);
      // Long lines wrap, and the window's text shrinks (to 85%) rather than run past the window's edge.
      expect(inWindow(r.file), p.id).toEqual(lines);
      expect(
        r.warnings.filter((w) => w.code === "OMD_PDF_FRAME_OVERFLOW" && w.message.includes('"address"')),
        p.id,
      ).toEqual([]);
    }
    expect([...countries].sort()).toEqual(["DE", "FR", "GB", "IE"]);
  }, 300_000);
});
