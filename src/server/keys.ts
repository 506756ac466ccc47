import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { type Result, fail, ok, problem, safeEqual, sha256Hex } from "../core/index.ts";

/** What a key may do. `admin` may do everything. `preview` is the template studio's. */
export const SCOPES = [
  "render",
  "archive:read",
  "admin",
  "preview",
  "profile:write",
  "audit:read",
  "interactions:write",
  "responses:write",
  "events:write",
  "templates:write",
  "templates:approve",
] as const;
export type Scope = (typeof SCOPES)[number];

/** Each scope in a sentence, for the OpenAPI document. */
export const SCOPE_MEANINGS: Record<Scope, string> = {
  render: "render documents and decisions from a profile sent in the body",
  "archive:read":
    "read the single customer view and archived documents; with render, re-render or decide from the profile of record",
  "profile:write": "with render, make the profile a render sends (and archives) the customer's profile of record",
  "audit:read": "read which key read or wrote a customer's documents",
  "interactions:write": "record a customer's interactions from another system (call centre, chat, store…)",
  "responses:write": "record what customers answered to offers (accepted, declined, not now) from another system",
  "events:write":
    "post events from other systems (a missed payment, a resolved complaint) that start triggered messages",
  "templates:write": "propose a template's version for release (and save drafts); read releases and their proof sets",
  "templates:approve":
    "approve or reject a proposed release (never one the same person proposed), publish and retire releases; read them",
  preview: "use the template studio; read releases and their proof sets",
  admin: "everything, and the metrics",
};

/** A configured key: only the SHA-256 of the secret is ever stored (keys are 256 random bits, so no salt is needed). */
export interface ApiKey {
  name: string;
  sha256: string;
  scopes: Scope[];
}

/**
 * The keys the server accepts. Looking a key up hashes it and compares against every stored hash in
 * constant time, without stopping early, so neither the comparison nor the loop tells how close a guess was.
 * `replace` swaps the whole set at once (a reloaded keys file): a revoked key is refused from the next request.
 */
export class KeyRing {
  constructor(private keys: readonly ApiKey[]) {}

  replace(keys: readonly ApiKey[]): void {
    this.keys = [...keys];
  }

  get size(): number {
    return this.keys.length;
  }

  /** The key as the ring holds it now (its scopes may have changed), or undefined once it was taken out. */
  current(key: ApiKey): ApiKey | undefined {
    return this.keys.find((k) => k.name === key.name && k.sha256 === key.sha256);
  }

  authenticate(presented: string): ApiKey | undefined {
    const hash = sha256Hex(presented);
    let found: ApiKey | undefined;
    for (const k of this.keys) if (safeEqual(k.sha256, hash) && !found) found = k;
    return found;
  }
}

export function allows(key: ApiKey, scope: Scope): boolean {
  return key.scopes.includes(scope) || key.scopes.includes("admin");
}

/** A new random key and the entry that configures it; the key itself is shown once and never stored. */
export function newKey(name: string, scopes: Scope[]): { key: string; entry: ApiKey } {
  const key = `omd_${randomBytes(32).toString("base64url")}`;
  return { key, entry: { name, sha256: sha256Hex(key), scopes } };
}

/**
 * Keys from a JSON file (`--keys FILE`) and/or `OMNIDOC_API_KEYS`, each a JSON array of
 * `{"name": "contact-centre", "sha256": "<64 hex>", "scopes": ["render", "archive:read"]}`.
 */
export function loadKeys(file: string | undefined, env: NodeJS.ProcessEnv = process.env): Result<ApiKey[]> {
  const keys: ApiKey[] = [];
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      return fail(problem("OMD_API_KEYS_INVALID", `cannot read ${file}: ${(e as Error).message}`, file));
    }
    const r = parseKeys(text, file);
    if (!r.ok) return r;
    keys.push(...r.value);
  }
  if (env.OMNIDOC_API_KEYS) {
    const r = parseKeys(env.OMNIDOC_API_KEYS, "OMNIDOC_API_KEYS");
    if (!r.ok) return r;
    keys.push(...r.value);
  }
  return ok(keys);
}

export function parseKeys(text: string, where: string): Result<ApiKey[]> {
  const bad = (message: string, at = where) =>
    fail<ApiKey[]>(
      problem(
        "OMD_API_KEYS_INVALID",
        message,
        at,
        'expected [{"name": "…", "sha256": "<64 hex>", "scopes": ["render"]}]',
      ),
    );
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return bad(`not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(data)) return bad("the keys must be a JSON array");
  const keys: ApiKey[] = [];
  for (const [i, k] of data.entries()) {
    const at = `${where} /${i}`;
    if (typeof k?.name !== "string" || k.name === "") return bad("a key needs a name", at);
    if (typeof k.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(k.sha256))
      return bad(`key ${k.name}: sha256 must be 64 lowercase hex digits (the hash, never the key)`, at);
    if (!Array.isArray(k.scopes) || k.scopes.some((s: unknown) => !SCOPES.includes(s as Scope)))
      return bad(`key ${k.name}: scopes must be a list of ${SCOPES.join(", ")}`, at);
    keys.push({ name: k.name, sha256: k.sha256, scopes: [...k.scopes] });
  }
  return ok(keys);
}
