import { isGsm7, unitSeptets } from "./gsm7.ts";

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
  const gsm = encoding === "GSM-7";
  // A character's width: its septets, or its UTF-16 units (2 for a surrogate pair, which is one character).
  const widthAt = (i: number) => {
    const c = text.charCodeAt(i);
    if (gsm) return unitSeptets(c);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    return pair ? 2 : 1;
  };
  let units = 0;
  if (gsm) for (let i = 0; i < text.length; i++) units += unitSeptets(text.charCodeAt(i));
  else units = text.length;
  const { single, multi } = SEGMENT_LIMITS[encoding];
  if (units <= single) return { encoding, units, segments: units === 0 ? 0 : 1 };
  let segments = 1;
  let used = 0;
  for (let i = 0; i < text.length; ) {
    const w = widthAt(i);
    if (used + w > multi) {
      segments++;
      used = 0;
    }
    used += w;
    // A GSM-7 character is one unit whatever its septets; a UCS-2 one as many units as it is wide.
    i += gsm ? 1 : w;
  }
  return { encoding, units, segments };
}
