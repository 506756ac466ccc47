import { type Canvas, createCanvas } from "@napi-rs/canvas";
import { type MaskSpots, maskSpots, type Rgba } from "./palette-canvas.ts";

/** A text's coverage as Skia draws it, as the spots it covers, placed `left`, `top` from its anchor's pixel. */
export interface TextMask {
  left: number;
  top: number;
  spots: MaskSpots;
}

/** How far a text's anchor is along it, for each `textAlign` the chart uses. */
const ALONG = { left: 0, center: 0.5, right: 1 } as const;
export type TextAlign = keyof typeof ALONG;

/** Masks (and widths) kept a thread before the cache starts again: the email's charts use a few hundred. */
const MAX_MASKS = 4096;
/**
 * Measured whenever a chart sets its font: while its width is the same, the chart font is the file the kept
 * widths were measured in (or one whose glyphs are exactly as wide, as the masks' keys assume too).
 */
const FONT_PROBE = "0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz äéöüß .,:-–%€£$";

/**
 * The chart's texts as Skia draws them, each drawn once a thread and kept as a coverage mask: a month, tick
 * value or legend recurs in chart after chart at the same place within its pixel, and stamping its mask costs a
 * fraction of Skia drawing and reading back the whole chart. A mask is drawn with the font, colour (Skia's glyph
 * masks depend on the text's luminance), alignment and position within a pixel the chart draws it at, so it is
 * what the chart's canvas would show. Also measures texts and reads CSS colours, with Skia's own rules.
 */
export class TextMasks {
  private canvas: Canvas = createCanvas(256, 64);
  private readonly masks = new Map<string, TextMask>();
  private readonly colours = new Map<string, Rgba>();
  /** Texts' widths by font and text, and each font's probe width they were measured with. */
  private readonly widths = new Map<string, number>();
  private readonly probes = new Map<string, number>();
  /** The font texts are measured and drawn in, a CSS `font` in px (`useFont`). */
  private font = "";

  private get ctx(): CanvasRenderingContext2D {
    return this.canvas.getContext("2d") as unknown as CanvasRenderingContext2D;
  }

  /**
   * Measures and draws in `font` from now on; set once a chart (setting it parses it), so that a chart drawn
   * after the chart font was pointed at another file is in that file's font.
   */
  useFont(font: string): void {
    this.ctx.font = this.font = font;
    const probe = this.ctx.measureText(FONT_PROBE).width;
    if (this.probes.get(font) === probe) return;
    // The chart font now points at another file: the widths measured in the one before no longer hold.
    if (this.probes.has(font)) this.widths.clear();
    this.probes.set(font, probe);
  }

  /**
   * A text's width, CSS pixels: measured by Skia once a thread and font (a month, tick value or legend recurs
   * in chart after chart), as each measure is a call into Skia that makes an object of 13 metrics.
   */
  measure(text: string): number {
    const key = `${this.font}\n${text}`;
    let width = this.widths.get(key);
    if (width === undefined) {
      if (this.widths.size >= MAX_MASKS) this.widths.clear();
      width = this.ctx.measureText(text).width;
      this.widths.set(key, width);
    }
    return width;
  }

  /** A CSS colour as Skia paints it, premultiplied. */
  colour(css: string): Rgba {
    let rgba = this.colours.get(css);
    if (rgba === undefined) {
      rgba = this.parsed(css);
      this.colours.set(css, rgba);
    }
    return rgba;
  }

  private parsed(css: string): Rgba {
    const { ctx } = this;
    ctx.fillStyle = css;
    const parsed = String(ctx.fillStyle);
    // `#rrggbb` when it is opaque, `rgba(r, g, b, a)` when it is not.
    const [r, g, b, a] = parsed.startsWith("#")
      ? [1, 3, 5].map((i) => Number.parseInt(parsed.slice(i, i + 2), 16)).concat(1)
      : parsed
          .slice(parsed.indexOf("(") + 1, -1)
          .split(",")
          .map(Number);
    const alpha = Math.round(a * 255);
    const premultiplied = (v: number) => Math.round((v * alpha) / 255);
    return (premultiplied(r) | (premultiplied(g) << 8) | (premultiplied(b) << 16) | (alpha << 24)) >>> 0;
  }

  /**
   * `text` in `colour` (CSS), `width` CSS pixels wide (`measure`), drawn at `scale` device pixels a CSS pixel
   * with its `align` anchor at (x, y) device pixels, middle baseline: its mask, placed from pixel (⌊x⌋, ⌊y⌋).
   * Its key holds the text's width, so a mask drawn before the chart font was pointed at another file is not
   * used after it, unless the two files' glyphs are exactly as wide (metric-compatible faces): then the kept
   * masks show the first file's glyph shapes until the caches are made afresh, as a new engine's are.
   */
  mask(text: string, width: number, colour: string, align: TextAlign, scale: number, x: number, y: number): TextMask {
    const fx = x - Math.floor(x);
    const fy = y - Math.floor(y);
    const key = `${this.font}\n${colour}\n${align}\n${width}\n${fx}\n${fy}\n${text}`;
    let mask = this.masks.get(key);
    if (!mask) {
      if (this.masks.size >= MAX_MASKS) this.masks.clear();
      mask = this.drawn(text, colour, align, scale, width * scale, fx, fy);
      this.masks.set(key, mask);
    }
    return mask;
  }

  private drawn(
    text: string,
    colour: string,
    align: TextAlign,
    scale: number,
    width: number,
    fx: number,
    fy: number,
  ): TextMask {
    // Room for the glyphs past the text's advance and above and below its middle: a font size all round.
    const size = Math.ceil(Number.parseFloat(this.font) * scale);
    const anchorX = size + Math.ceil(width * ALONG[align]);
    const anchorY = size;
    const w = Math.ceil(width) + 2 * size;
    const h = 2 * size;
    if (this.canvas.width < w || this.canvas.height < h) {
      this.canvas = createCanvas(Math.max(this.canvas.width, w), Math.max(this.canvas.height, h));
      this.useFont(this.font);
    }
    const { ctx } = this;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, w, h);
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    ctx.fillStyle = colour;
    ctx.textAlign = align;
    ctx.textBaseline = "middle";
    ctx.fillText(text, (anchorX + fx) / scale, (anchorY + fy) / scale);
    const rgba = ctx.getImageData(0, 0, w, h).data;
    // A translucent colour's alpha is part of each pixel's: the mask is the coverage alone.
    const opacity = (this.colour(colour) >>> 24) / 255;
    // Trimmed to the pixels the text covers.
    let [left, top, right, bottom] = [w, h, -1, -1];
    for (let j = 0; j < h; j++)
      for (let i = 0; i < w; i++)
        if (rgba[(j * w + i) * 4 + 3] !== 0) {
          left = Math.min(left, i);
          right = Math.max(right, i);
          top = Math.min(top, j);
          bottom = Math.max(bottom, j);
        }
    if (right < 0) return { left: 0, top: 0, spots: maskSpots(new Uint8Array(0), 0, 0) };
    const coverage = new Uint8Array((right - left + 1) * (bottom - top + 1));
    for (let j = top, k = 0; j <= bottom; j++)
      for (let i = left; i <= right; i++)
        coverage[k++] = Math.min(255, Math.round(rgba[(j * w + i) * 4 + 3] / opacity));
    const spots = maskSpots(coverage, right - left + 1, bottom - top + 1);
    return { left: left - anchorX, top: top - anchorY, spots };
  }
}
