import { type Canvas, createCanvas, loadImage } from "@napi-rs/canvas";
import pixelmatch from "pixelmatch";
import type { ImageDiff } from "./types.ts";

/** An image to compare: its RGBA pixels, and its PNG made only when it is shown (it differs). */
export interface Picture {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
  png(): Promise<Uint8Array>;
}

/**
 * pixelmatch's colour distance under which two pixels count as the same (its default): anti-aliasing and
 * sub-pixel noise stay under it, a word set in another place does not.
 */
const THRESHOLD = 0.1;
/** How strongly the new version shows under its highlighted changes: faint enough for red to stand out. */
const BACKGROUND = 0.25;
const WHITE = 255;

export function pictureOfCanvas(canvas: Canvas): Picture {
  const { width, height } = canvas;
  const rgba = canvas.getContext("2d").getImageData(0, 0, width, height).data;
  return { width, height, rgba, png: async () => canvas.encode("png") };
}

export async function pictureOfPng(png: Uint8Array): Promise<Picture> {
  const image = await loadImage(Buffer.from(png));
  const canvas = createCanvas(image.width, image.height);
  canvas.getContext("2d").drawImage(image, 0, 0);
  return { ...pictureOfCanvas(canvas), png: async () => png };
}

/**
 * One page (or screenshot) of both versions compared. Pictures of different sizes are compared on the larger
 * size, the smaller padded with white, and a page only one version has is compared with a white page: every
 * mark on it counts. Unchanged, it carries no images.
 */
export async function compareImages(page: number, base?: Picture, next?: Picture): Promise<ImageDiff> {
  const width = Math.max(base?.width ?? 0, next?.width ?? 0);
  const height = Math.max(base?.height ?? 0, next?.height ?? 0);
  const before = padded(base, width, height);
  const after = padded(next, width, height);
  const highlight = new Uint8ClampedArray(width * height * 4);
  // The new version first: the highlighted image shows it, faded, under the changed pixels.
  const changedPixels = pixelmatch(after, before, highlight, width, height, {
    threshold: THRESHOLD,
    alpha: BACKGROUND,
  });
  if (changedPixels === 0) return { page, changedPixels };
  const diff: ImageDiff = { page, changedPixels, highlighted: await encode(highlight, width, height) };
  if (base) diff.base = await base.png();
  if (next) diff.next = await next.png();
  return diff;
}

/** The picture's pixels on a white canvas of the given size (the pixels themselves when they fill it). */
function padded(picture: Picture | undefined, width: number, height: number): Uint8ClampedArray {
  if (picture && picture.width === width && picture.height === height) return picture.rgba;
  const out = new Uint8ClampedArray(width * height * 4).fill(WHITE);
  if (!picture) return out;
  for (let y = 0; y < picture.height; y++)
    out.set(picture.rgba.subarray(y * picture.width * 4, (y + 1) * picture.width * 4), y * width * 4);
  return out;
}

async function encode(rgba: Uint8ClampedArray, width: number, height: number): Promise<Uint8Array> {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(width, height);
  image.data.set(rgba);
  ctx.putImageData(image, 0, 0);
  return canvas.encode("png");
}
