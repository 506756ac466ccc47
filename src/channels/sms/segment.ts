import { gsmSeptets, isGsm7 } from "./gsm7.ts";

export type SmsEncoding = "GSM-7" | "UCS-2";

/** Room in one text, and in each part of a concatenated text (the rest carries the user data header). */
export const SEGMENT_LIMITS: Record<SmsEncoding, { single: number; multi: number }> = {
  "GSM-7": { single: 160, multi: 153 },
  "UCS-2": { single: 70, multi: 67 },
};

export interface SegmentCount {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
}

/**
 * How many segments a text is sent in. Phones never split an escape sequence (`€` is two septets) or a
 * surrogate pair across segments, so a multi-part text is packed character by character, not divided.
 */
export function countSegments(text: string): SegmentCount {
  const encoding: SmsEncoding = isGsm7(text) ? "GSM-7" : "UCS-2";
  const width = encoding === "GSM-7" ? (ch: string) => gsmSeptets(ch) : (ch: string) => ch.length;
  const widths = Array.from(text, width);
  const units = widths.reduce((a, b) => a + b, 0);
  const { single, multi } = SEGMENT_LIMITS[encoding];
  if (units <= single) return { encoding, units, segments: units === 0 ? 0 : 1 };
  let segments = 1;
  let used = 0;
  for (const w of widths) {
    if (used + w > multi) {
      segments++;
      used = 0;
    }
    used += w;
  }
  return { encoding, units, segments };
}
