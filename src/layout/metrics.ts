/** How the layout measures text, through whatever font technology the output format uses. */
export interface FontMetrics {
  /** Advance width in points of `text` set in face `font` at `size`. */
  width(text: string, font: string, size: number): number;
  /** Distance from the baseline to the top of the tallest glyphs, in points at `size`. */
  ascent(font: string, size: number): number;
  /** Distance from the baseline to the bottom of descenders, positive, in points at `size`. */
  descent(font: string, size: number): number;
  /** The characters of `text` that face `font` has no glyph for ("" when it covers them all). */
  missing(text: string, font: string): string;
}
