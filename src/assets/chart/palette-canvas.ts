/** A palette holds at most this many colours (8-bit indices). */
export const PALETTE_SIZE = 256;
/**
 * Coverage is kept in this many steps (plus none): a pixel a shape or glyph covers in part is the blend of the
 * two colours at the nearest step, at most 1/64 of their difference (4 levels of 255 from black to white) from
 * the exact blend. 255 steps would need ~500 colours for the chart's two text colours alone.
 */
export const COVERAGE_STEPS = 32;

/** A colour's blend table: the index each palette entry turns into at each step of its coverage. */
const BLEND_TABLE = PALETTE_SIZE * (COVERAGE_STEPS + 1);

/** Room for the blend tables of `colours` colours, for `PaletteCanvas`. */
export const blendTables = (colours: number) => new Int16Array(colours * BLEND_TABLE);

/** A coverage byte (0–255) to its step. */
const STEP_OF_BYTE = Uint8Array.from({ length: 256 }, (_, c) => Math.round((c * COVERAGE_STEPS) / 255));

/** The pixels of a coverage mask that its steps cover at all, in rows: places within the mask and steps (1–32). */
export interface MaskSpots {
  xs: Uint16Array;
  ys: Uint16Array;
  steps: Uint8Array;
}

/**
 * A coverage mask (bytes 0–255, `width` a row) as the spots it covers: made once a mask, so that stamping it
 * visits only its covered pixels (a text's mask is mostly uncovered) with their steps already found.
 */
export function maskSpots(coverage: Uint8Array, width: number, height: number): MaskSpots {
  let n = 0;
  for (let k = 0; k < width * height; k++) if (STEP_OF_BYTE[coverage[k]] > 0) n++;
  const spots = { xs: new Uint16Array(n), ys: new Uint16Array(n), steps: new Uint8Array(n) };
  for (let j = 0, k = 0, at = 0; j < height; j++)
    for (let i = 0; i < width; i++, at++) {
      const step = STEP_OF_BYTE[coverage[at]];
      if (step === 0) continue;
      spots.xs[k] = i;
      spots.ys[k] = j;
      spots.steps[k++] = step;
    }
  return spots;
}

/** A colour as Skia stores it: premultiplied RGBA in a little-endian word, red in the low byte. */
export type Rgba = number;

const channel = (c: Rgba, shift: number) => (c >>> shift) & 255;
const rgba = (r: number, g: number, b: number, a: number): Rgba => (r | (g << 8) | (b << 16) | (a << 24)) >>> 0;

/** One channel of `src` over `dst`: `src`'s part where it covers, `dst`'s by what `src` lets through (`k`). */
const mix = (src: Rgba, dst: Rgba, shift: number, coverage: number, k: number) =>
  Math.round(channel(src, shift) * coverage + channel(dst, shift) * k);

/**
 * `src` over `dst` (both premultiplied) where `src` covers `coverage` (0–1) of the pixel. Its channels are mixed
 * by a function outside it rather than a closure over its arguments: a closure is made each call, some thousand
 * a chart, and the allocations are what makes V8's collector run.
 */
function over(src: Rgba, dst: Rgba, coverage: number): Rgba {
  const k = 1 - (channel(src, 24) * coverage) / 255;
  return rgba(
    mix(src, dst, 0, coverage, k),
    mix(src, dst, 8, coverage, k),
    mix(src, dst, 16, coverage, k),
    mix(src, dst, 24, coverage, k),
  );
}

function distance(a: Rgba, b: Rgba): number {
  let d = 0;
  for (let shift = 0; shift < 32; shift += 8) d += (channel(a, shift) - channel(b, shift)) ** 2;
  return d;
}

/** A colour painted with, and what it turns each palette entry into at each step of coverage (-1: not yet). */
interface Paint {
  colour: Rgba;
  /** Its palette index when it covers a pixel whole and is opaque, else -1. */
  solid: number;
  blended: Int16Array;
}

/**
 * Pixels as palette indices, painted with exact-area coverage: each pixel is one byte, the index of its colour
 * in a palette of at most 256 premultiplied colours, built as painting meets them (a colour met when the palette
 * is full takes the nearest entry). What a shape or glyph does to a pixel depends only on the pixel's index, its
 * colour and the step of coverage, so each such blend is worked out once a chart, however many pixels it paints.
 * Rows are `stride` bytes, a multiple of 4, so the PNG's filter can read them 4 bytes at a time.
 */
export class PaletteCanvas {
  readonly palette = new Uint32Array(PALETTE_SIZE);
  size = 0;
  private readonly indexOfColour = new Map<Rgba, number>();
  private readonly paints = new Map<Rgba, Paint>();

  /**
   * `pixels` (`stride` × `height` bytes) and `blends` (room for the blend tables of a chart's colours: see
   * `blendTables`) are kept by the caller from one chart to the next, as memory made afresh for each chart
   * outside V8's heap would make V8 collect its whole heap every few charts.
   */
  constructor(
    readonly pixels: Uint8Array,
    readonly width: number,
    readonly height: number,
    readonly stride: number,
    private readonly blends: Int16Array,
  ) {}

  /** Every pixel in `colour`, over transparent black. */
  clear(colour: Rgba): void {
    const paint = this.paint(colour);
    const index = paint.solid >= 0 ? paint.solid : this.blend(paint, this.indexOf(0), COVERAGE_STEPS);
    this.pixels.fill(index, 0, this.stride * this.height);
  }

  /** The rectangle from (x0, y0) to (x1, y1), device pixels, in `colour`; its edges cover pixels in part. */
  fillRect(x0: number, y0: number, x1: number, y1: number, colour: Rgba): void {
    x0 = Math.max(x0, 0);
    y0 = Math.max(y0, 0);
    x1 = Math.min(x1, this.width);
    y1 = Math.min(y1, this.height);
    if (x1 <= x0 || y1 <= y0) return;
    const paint = this.paint(colour);
    const left = Math.floor(x0);
    const right = Math.ceil(x1) - 1;
    const leftCover = left === right ? x1 - x0 : left + 1 - x0;
    const rightCover = x1 - right;
    for (let y = Math.floor(y0); y < y1; y++) {
      const rowCover = Math.min(y + 1, y1) - Math.max(y, y0);
      const row = y * this.stride;
      this.cover(paint, row + left, leftCover * rowCover);
      if (left === right) continue;
      this.cover(paint, row + right, rightCover * rowCover);
      if (right - left < 2) continue;
      if (rowCover === 1 && paint.solid >= 0) this.pixels.fill(paint.solid, row + left + 1, row + right);
      else for (let p = row + left + 1; p < row + right; p++) this.cover(paint, p, rowCover);
    }
  }

  /**
   * A mask's covered pixels (`maskSpots`) in `colour`, the mask's top left corner at pixel (x, y); what falls
   * outside the canvas is left out. Pixels are met in rows, as a scan of the whole mask would meet them.
   */
  stamp(spots: MaskSpots, x: number, y: number, colour: Rgba): void {
    const paint = this.paint(colour);
    const { pixels, stride, width, height } = this;
    const { xs, ys, steps } = spots;
    for (let k = 0; k < steps.length; k++) {
      const px = x + xs[k];
      const py = y + ys[k];
      if (px < 0 || px >= width || py < 0 || py >= height) continue;
      const p = py * stride + px;
      const step = steps[k];
      pixels[p] = step === COVERAGE_STEPS && paint.solid >= 0 ? paint.solid : this.blend(paint, pixels[p], step);
    }
  }

  private cover(paint: Paint, p: number, coverage: number): void {
    const step = Math.round(coverage * COVERAGE_STEPS);
    if (step === 0) return;
    const { pixels } = this;
    if (step === COVERAGE_STEPS && paint.solid >= 0) pixels[p] = paint.solid;
    else pixels[p] = this.blend(paint, pixels[p], step);
  }

  private blend(paint: Paint, index: number, step: number): number {
    const at = index * (COVERAGE_STEPS + 1) + step;
    let blended = paint.blended[at];
    if (blended < 0) {
      blended = this.indexOf(over(paint.colour, this.palette[index], step / COVERAGE_STEPS));
      paint.blended[at] = blended;
    }
    return blended;
  }

  private paint(colour: Rgba): Paint {
    let paint = this.paints.get(colour);
    if (!paint) {
      const solid = colour >>> 24 === 255 ? this.indexOf(colour) : -1;
      const start = this.paints.size * BLEND_TABLE;
      const blended =
        start + BLEND_TABLE <= this.blends.length
          ? this.blends.subarray(start, start + BLEND_TABLE)
          : new Int16Array(BLEND_TABLE);
      paint = { colour, solid, blended: blended.fill(-1) };
      this.paints.set(colour, paint);
    }
    return paint;
  }

  private indexOf(colour: Rgba): number {
    let index = this.indexOfColour.get(colour);
    if (index === undefined) {
      if (this.size < PALETTE_SIZE) {
        index = this.size++;
        this.palette[index] = colour;
      } else index = this.nearest(colour);
      this.indexOfColour.set(colour, index);
    }
    return index;
  }

  /** The palette entry nearest to `colour` (squared distance of RGBA, the first among equals). */
  private nearest(colour: Rgba): number {
    let best = 0;
    for (let i = 1; i < this.size; i++)
      if (distance(colour, this.palette[i]) < distance(colour, this.palette[best])) best = i;
    return best;
  }
}
