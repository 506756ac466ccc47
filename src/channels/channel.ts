import type { RenderCaches, Result, SigningKey, WarningSink, World } from "../core/index.ts";
import type { ChannelName, TemplatePackage } from "../templates/types.ts";
import type { View } from "../view/types.ts";

export interface RenderContext {
  /** Non-fatal findings (a missing glyph, an optional SMS part dropped) go here, never to the console. */
  warnings: WarningSink;
  /** Options a caller may pass to a channel, e.g. `{ pdfa: true }`. */
  options?: Record<string, unknown>;
  /** Where hosted email charts are served (`${base}/{token}.png`) and the key that signs their tokens. */
  chartHost?: { base: string; key: SigningKey };
}

/**
 * The contract every channel keeps: compile a template package once, then render many views cheaply.
 * `render` is pure: no I/O, no clock; same compiled template and view, same bytes.
 */
export interface ChannelRenderer<Compiled, Output> {
  readonly name: ChannelName;
  /** `caches`: the thread's render caches the compiled form keeps using (a fresh one when not given). */
  compile(pkg: TemplatePackage, world: World, caches?: RenderCaches): Promise<Result<Compiled>>;
  render(compiled: Compiled, view: View, ctx: RenderContext): Promise<Result<Output>>;
}

export interface SmsOutput {
  to?: string;
  text: string;
  encoding: "GSM-7" | "UCS-2";
  segments: number;
  /** Names of the template's parts that went into the text, in order. */
  parts: string[];
  /** Ids of the items whose copy or link went into the text, in slot order. */
  offers: string[];
}

export interface EmailOutput {
  to?: string;
  subject: string;
  preheader: string;
  html: string;
  text: string;
  /** The complete MIME message (RFC 5322), ready to send or store as `.eml`. */
  eml: Uint8Array;
  marketing: boolean;
}

export interface PdfOutput {
  bytes: Uint8Array;
  pages: number;
}
