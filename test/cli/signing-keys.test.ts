import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildEngine, nodeWorld } from "../../src/index.ts";
import { verifyLink } from "../../src/view/index.ts";
import { omnidoc, omnidocProcess } from "../support/cli.ts";
import { sampleProfiles } from "../support/pdf-views.ts";
import { envWithoutSigningKeys, signingKeys } from "../support/signing-keys.ts";

const ROOT = join(import.meta.dirname, "../..");
const scratch = mkdtempSync(join(tmpdir(), "omnidoc-signing-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A customer whose email carries a pay link: owing, and not paying by Direct Debit. */
const owing = sampleProfiles().find((p) => p.account.balanceDue > 0 && !p.account.directDebit && p.contact.email)!;
const profile = join(scratch, "customer.json");
writeFileSync(profile, JSON.stringify(owing));
const extract = join(scratch, "customers.ndjson");
writeFileSync(extract, `${JSON.stringify(owing)}\n`);

describe("without signing keys", () => {
  it("an engine refuses to build, naming both variables: nothing falls back to a key in the source", async () => {
    const r = await buildEngine(nodeWorld(ROOT, {}));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.code)).toEqual(["OMD_SIGNING_KEY_MISSING", "OMD_SIGNING_KEY_MISSING"]);
    expect(r.problems[0].message).toContain("OMNIDOC_LINK_KEY");
    expect(r.problems[1].message).toContain("OMNIDOC_TRACKING_KEY");
  });

  it.each([
    ["render", ["render", "-t", "energy-bill", "-p", profile, "-c", "sms", "-o", join(scratch, "render")]],
    ["run", ["run", "-t", "energy-bill", "-i", extract, "-o", join(scratch, "run"), "--no-archive"]],
    ["serve", ["serve", "--port", "0"]],
    ["studio", ["studio", "templates", "--port", "0"]],
  ])("%s refuses to start: exit 2, each variable named with the command that makes a key", (_, args) => {
    const r = omnidocProcess(args, undefined, envWithoutSigningKeys());
    expect(r.code, r.stderr).toBe(2);
    for (const variable of ["OMNIDOC_LINK_KEY", "OMNIDOC_TRACKING_KEY"])
      expect(r.stderr).toContain(`${variable} is not set`);
    expect(r.stderr).toContain('export OMNIDOC_LINK_KEY="$(npx omnidoc signing-key)"');
    expect(readdirSync(scratch).sort()).toEqual(["customer.json", "customers.ndjson"]);
  });

  it("a key that is too short or not KID:SECRET is refused with the rule it breaks", () => {
    const env = envWithoutSigningKeys();
    const short = omnidocProcess(["serve", "--port", "0"], undefined, {
      ...env,
      OMNIDOC_LINK_KEY: "k1:short",
      OMNIDOC_TRACKING_KEY: "no-key-id-here-but-long-enough-0123456789",
    });
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('OMNIDOC_LINK_KEY: the secret of key "k1" has 5 characters; at least 32 are needed');
    expect(short.stderr).toContain("OMNIDOC_TRACKING_KEY: entry 1 must be KID:SECRET");
  });
});

describe("omnidoc signing-key", () => {
  it("makes keys the commands take, and the pay link names the key that signed it", async () => {
    const made = await omnidoc(["signing-key", "--kid", "k2"]);
    expect(made.code).toBe(0);
    const key = made.stdout.trim();
    expect(key).toMatch(/^k2:[\w-]{43}$/);
    const tracking = (await omnidoc(["signing-key"])).stdout.trim();
    expect(tracking).toMatch(/^\d{6}:[\w-]{43}$/);
    expect((await omnidoc(["signing-key"])).stdout.trim()).not.toBe(tracking);

    const out = join(scratch, "signed");
    const r = omnidocProcess(["render", "-t", "energy-bill", "-p", profile, "-c", "email", "-o", out], undefined, {
      ...envWithoutSigningKeys(),
      OMNIDOC_LINK_KEY: key,
      OMNIDOC_TRACKING_KEY: tracking,
    });
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(join(out, `${owing.id}.txt`), "utf8");
    const pay = text.match(/https:\/\/pay\.[^\s>]+/)![0];
    expect(new URL(pay).searchParams.get("s")).toMatch(/^k2\./);
    const unsubscribe = text.match(/https:\/\/\S+\/unsubscribe[^\s>]+/)![0];
    expect(new URL(unsubscribe).searchParams.get("t")?.split(".")[0]).toBe(tracking.split(":")[0]);
    const now = new Date(`${owing.account.dueDate}T12:00:00Z`);
    expect(verifyLink(pay, signingKeys(key), now).ok).toBe(true);
    // Rotated: a new key signs from now on, and this link still verifies while k2 stays listed after it.
    expect(verifyLink(pay, signingKeys(`k3:${"n".repeat(40)},${key}`), now).ok).toBe(true);
    expect(verifyLink(pay, signingKeys(`k3:${"n".repeat(40)}`), now).ok).toBe(false);
    rmSync(out, { recursive: true });
  });
});
