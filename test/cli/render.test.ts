import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Profile } from "../../src/profile/index.ts";
import { omnidoc } from "../support/cli.ts";
import { sampleProfiles } from "../support/pdf-views.ts";

const scratch = mkdtempSync(join(tmpdir(), "omnidoc-render-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const profileFile = (p: Profile) => {
  const file = join(scratch, `${p.id}.json`);
  writeFileSync(file, JSON.stringify(p));
  return file;
};

describe("omnidoc render of the payment reminder", () => {
  it("says a customer in credit is outside its audience, names the rule, writes nothing and exits 1", async () => {
    const credit = sampleProfiles().find((p) => p.account.balanceDue < 0)!;
    const out = join(scratch, "credit");
    const r = await omnidoc(["render", "-t", "payment-reminder", "-p", profileFile(credit), "-o", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `OMD_AUDIENCE_OUTSIDE at templates/payment-reminder/template.yaml:\\d+:\\d+: customer ${credit.id} is outside the audience of payment-reminder: nothing is owed .*\\(rule: account.balanceDue > 0\\)`,
      ),
    );
    expect(existsSync(out)).toBe(false);
  });

  it("writes every channel for a customer in arrears: letter, email and SMS", async () => {
    const owing = sampleProfiles().find(
      (p) =>
        p.account.balanceDue > 0 &&
        p.account.inArrears &&
        !p.account.directDebit &&
        p.contact.email &&
        p.contact.mobile,
    )!;
    const out = join(scratch, "owing");
    const r = await omnidoc(["render", "-t", "payment-reminder", "-p", profileFile(owing), "-o", out, "-c", "all"]);
    expect(r.stderr).not.toContain("OMD_CHANNEL_UNKNOWN");
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(
      ["decision.json", "eml", "html", "pdf", "sms.json", "txt"].map((ext) => `${owing.id}.${ext}`),
    );
  });
});
