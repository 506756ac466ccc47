/** RFC 2045 §6.8: base64 lines of at most 76 characters. */
const LINE = 76;

/** Bytes `writeBase64Lines` writes for `length` bytes of content. */
export function base64LinesLength(length: number): number {
  const characters = Math.ceil(length / 3) * 4;
  return characters === 0 ? 0 : characters + 2 * (Math.ceil(characters / LINE) - 1);
}

/**
 * `bytes` in base64 into `out` from `at`, in lines of 76 characters, each but the last ending in CRLF (what
 * nodemailer's encoder writes); returns where it stopped. Node's base64 is written whole, then its lines are
 * moved apart from the last one back, each to its place, with the line breaks put in between: half the CPU of
 * encoding in JavaScript, and one string made where splitting it into lines and joining them made four.
 */
export function writeBase64Lines(bytes: Buffer, out: Buffer, at: number): number {
  const base64 = bytes.toString("base64");
  const lines = Math.ceil(base64.length / LINE);
  out.write(base64, at, "latin1");
  for (let line = lines - 1; line >= 1; line--) {
    const to = at + line * (LINE + 2);
    out.copyWithin(to, at + line * LINE, at + Math.min(base64.length, (line + 1) * LINE));
    out[to - 2] = 13;
    out[to - 1] = 10;
  }
  return at + base64LinesLength(bytes.length);
}
