/** RFC 2045 §6.8: base64 lines of at most 76 characters, 19 groups of 4. */
const GROUPS_A_LINE = 19;
const ALPHABET = Buffer.from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", "latin1");
const PAD = 0x3d; // "="

/** Bytes `base64Lines` writes for `length` bytes of content. */
export function base64LinesLength(length: number): number {
  const groups = Math.ceil(length / 3);
  return groups === 0 ? 0 : groups * 4 + 2 * (Math.ceil(groups / GROUPS_A_LINE) - 1);
}

/**
 * `bytes` in base64 into `out` from `at`, in lines of 76 characters, each but the last ending in CRLF (what
 * nodemailer's encoder writes); returns where it stopped. Written straight into the message's bytes: Node's
 * base64 gives a string, which split into lines, joined, joined into the message and encoded again was ~150 kB
 * of short-lived heap an email, a third of what makes the collector run.
 */
export function writeBase64Lines(bytes: Uint8Array, out: Uint8Array, at: number): number {
  const whole = bytes.length - (bytes.length % 3);
  let group = 0;
  for (let i = 0; i < whole; i += 3) {
    if (group === GROUPS_A_LINE) {
      out[at++] = 13;
      out[at++] = 10;
      group = 0;
    }
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[at] = ALPHABET[v >>> 18];
    out[at + 1] = ALPHABET[(v >>> 12) & 63];
    out[at + 2] = ALPHABET[(v >>> 6) & 63];
    out[at + 3] = ALPHABET[v & 63];
    at += 4;
    group++;
  }
  const left = bytes.length - whole;
  if (left === 0) return at;
  if (group === GROUPS_A_LINE) {
    out[at++] = 13;
    out[at++] = 10;
  }
  const v = (bytes[whole] << 16) | (left === 2 ? bytes[whole + 1] << 8 : 0);
  out[at] = ALPHABET[v >>> 18];
  out[at + 1] = ALPHABET[(v >>> 12) & 63];
  out[at + 2] = left === 2 ? ALPHABET[(v >>> 6) & 63] : PAD;
  out[at + 3] = PAD;
  return at + 4;
}
