import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/core/index.ts";
import { KeyRing, loadKeys, newKey, parseKeys } from "../../src/server/index.ts";

const dir = mkdtempSync(join(tmpdir(), "omnidoc-keys-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("API keys", () => {
  it("makes random keys whose entry holds only the hash", () => {
    const a = newKey("desk", ["archive:read"]);
    const b = newKey("desk", ["archive:read"]);
    expect(a.key).not.toBe(b.key);
    expect(a.key.length).toBeGreaterThanOrEqual(40);
    expect(a.entry).toEqual({ name: "desk", sha256: sha256Hex(a.key), scopes: ["archive:read"] });
    expect(JSON.stringify(a.entry)).not.toContain(a.key);
  });

  it("reads keys from a file and from OMNIDOC_API_KEYS together", () => {
    const one = newKey("one", ["render"]);
    const two = newKey("two", ["admin"]);
    const file = join(dir, "keys.json");
    writeFileSync(file, JSON.stringify([one.entry]));
    const r = loadKeys(file, { OMNIDOC_API_KEYS: JSON.stringify([two.entry]) });
    expect(r.ok && r.value.map((k) => k.name)).toEqual(["one", "two"]);
    const ring = new KeyRing(r.ok ? r.value : []);
    expect(ring.authenticate(one.key)?.name).toBe("one");
    expect(ring.authenticate(two.key)?.name).toBe("two");
    expect(ring.authenticate(`${one.key}x`)).toBeUndefined();
    expect(ring.authenticate(one.entry.sha256)).toBeUndefined();
  });

  it("refuses a plain key where a hash belongs, an unknown scope, and a missing file, saying where", () => {
    const plain = parseKeys('[{"name":"x","sha256":"omd_secret","scopes":["render"]}]', "keys.json");
    expect(!plain.ok && plain.problems[0]).toMatchObject({ code: "OMD_API_KEYS_INVALID", at: "keys.json /0" });
    const scope = parseKeys(`[{"name":"x","sha256":"${"a".repeat(64)}","scopes":["root"]}]`, "env");
    expect(!scope.ok && scope.problems[0].message).toContain("scopes");
    expect(parseKeys("{", "env").ok).toBe(false);
    const missing = loadKeys(join(dir, "nope.json"), {});
    expect(!missing.ok && missing.problems[0].code).toBe("OMD_API_KEYS_INVALID");
  });
});
