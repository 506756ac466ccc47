import type { TextStyle } from "../../layout/index.ts";
import type { Theme } from "../../templates/index.ts";

/** Multiple of the font size a line takes. */
export const LINE_HEIGHT = 1.32;

/**
 * Text styles made from the theme, shared by identity so that neighbouring runs in one style merge into one
 * text operation when painted.
 */
export class Styles {
  private readonly cache = new Map<string, TextStyle>();
  /** The names a colour attribute may give, and a size attribute. */
  readonly colourNames: readonly string[];
  readonly sizeNames: readonly string[];

  constructor(readonly theme: Theme) {
    this.colourNames = Object.keys(theme.colours);
    this.sizeNames = Object.keys(theme.sizes);
  }

  get(font: string, size: number, colour: string, underline = false): TextStyle {
    const key = `${font}|${size}|${colour}|${underline}`;
    let s = this.cache.get(key);
    if (!s) {
      s = Object.freeze({ font, size, color: colour, ...(underline ? { underline } : {}) });
      this.cache.set(key, s);
    }
    return s;
  }

  get body(): TextStyle {
    return this.get("body", this.theme.sizes.body, this.theme.colours.text);
  }

  /** A colour attribute: a theme colour name (`primary`, `muted`) or `#rrggbb`. */
  colour(value: string | undefined, fallback: string): string {
    if (value === undefined) return fallback;
    return this.theme.colours[value] ?? value;
  }

  /** A size attribute: a theme size name (`small`, `h2`) or points. */
  size(value: string | undefined, fallback: number): number {
    if (value === undefined) return fallback;
    const named = (this.theme.sizes as Record<string, number>)[value];
    return named ?? Number(value);
  }
}
