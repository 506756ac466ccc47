import { hash } from "node:crypto";

/**
 * The tag that names an embedded subset (`ABCDEF+DejaVuSans`). ISO 32000-1 §9.6.4 wants distinct tags for
 * distinct subsets in one file: print batches merge many statements, and a RIP that caches fonts by name
 * would otherwise draw one statement's text with another's glyphs. The tag is six uppercase letters from a
 * hash of the font program, so the same program has the same tag in every statement and run (statements stay
 * byte-identical for the same inputs) and two programs share a tag with a chance of one in 26⁶.
 */
export function subsetTag(program: Uint8Array): string {
  // One call, without a hash object to make and feed: a statement names a subset of each of its faces.
  let n = Number.parseInt(hash("sha256", program, "hex").slice(0, 12), 16);
  let tag = "";
  for (let i = 0; i < 6; i++) {
    tag += String.fromCharCode(65 + (n % 26));
    n = Math.floor(n / 26);
  }
  return tag;
}
