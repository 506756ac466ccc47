import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/** Stable hashing: same input, same output on every machine, for A/B splits, ids and signatures. */

export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** The hash of a list of fields, each length-prefixed so that no two different lists run together alike. */
export function sha256OfFields(fields: readonly (string | Uint8Array)[]): string {
  const hash = createHash("sha256");
  for (const field of fields) {
    hash.update(`${typeof field === "string" ? Buffer.byteLength(field) : field.byteLength}:`);
    hash.update(field);
  }
  return hash.digest("hex");
}

export function hmacBase64Url(key: string, data: string): string {
  return createHmac("sha256", key).update(data).digest("base64url");
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A number in [0, 1) from a string, uniform enough for A/B splits. */
export function unitInterval(key: string): number {
  return createHash("sha256").update(key).digest().readUInt32BE(0) / 2 ** 32;
}
