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

/**
 * A number in [0, 1) from a string, uniform enough for A/B splits: the first 32 bits of the SHA-256 of `key`
 * followed by `tail` (the two are hashed as one string, without joining them). Every decision with an
 * experiment asks for one, so a short ASCII key (ids are) is hashed here in one block, without the cost of a
 * hash object; any other key goes to node:crypto, with the same result.
 */
export function unitInterval(key: string, tail = ""): number {
  const length = key.length + tail.length;
  if (length > 55) return cryptoUnitInterval(key + tail);
  const w = SCRATCH;
  for (let i = 0; i < 16; i++) w[i] = 0; // the rest of the schedule is written before it is read
  for (let i = 0; i < length; i++) {
    const code = i < key.length ? key.charCodeAt(i) : tail.charCodeAt(i - key.length);
    if (code > 0x7f) return cryptoUnitInterval(key + tail);
    w[i >> 2] |= code << (24 - 8 * (i & 3));
  }
  w[length >> 2] |= 0x80 << (24 - 8 * (length & 3));
  w[15] = length * 8;
  for (let t = 16; t < 64; t++) {
    const x = w[t - 15];
    const y = w[t - 2];
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
  }
  let a = SHA256_INITIAL[0];
  let b = SHA256_INITIAL[1];
  let c = SHA256_INITIAL[2];
  let d = SHA256_INITIAL[3];
  let e = SHA256_INITIAL[4];
  let f = SHA256_INITIAL[5];
  let g = SHA256_INITIAL[6];
  let h = SHA256_INITIAL[7];
  for (let t = 0; t < 64; t++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + SHA256_ROUND[t] + w[t]) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  return ((SHA256_INITIAL[0] + a) >>> 0) / 2 ** 32;
}

function cryptoUnitInterval(key: string): number {
  return createHash("sha256").update(key).digest().readUInt32BE(0) / 2 ** 32;
}

// The message schedule: overwritten by each call before it is read, so no state passes between calls.
const SCRATCH = new Int32Array(64);

const SHA256_INITIAL = Int32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

const SHA256_ROUND = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
