import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { omnidoc } from "../support/cli.ts";
import { sampleProfiles } from "../support/pdf-views.ts";

const scratch = mkdtempSync(join(tmpdir(), "omnidoc-lint-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const profiles = (n: number) => {
  const file = join(scratch, `profiles-${n}.ndjson`);
  writeFileSync(
    file,
    `${sampleProfiles()
      .slice(0, n)
      .map((p) => JSON.stringify(p))
      .join("\n")}\n`,
  );
  return {
    file,
    ids: sampleProfiles()
      .slice(0, n)
      .map((p) => p.id),
  };
};

describe("omnidoc lint renders every channel the template declares", () => {
  it("reports an SMS over its segment budget with the customers it was over for, and fails", async () => {
    const dir = join(scratch, "templates", "long-sms");
    cpSync("templates/energy-bill", dir, { recursive: true });
    // A required part of ~200 GSM-7 characters cannot fit one segment, whoever the customer is.
    const sms = readFileSync(join(dir, "sms.hbs"), "utf8").replace(
      '{{#part "sender"}}',
      `{{#part "terms"}}${"Terms apply. ".repeat(16)}{{/part}}\n{{#part "sender"}}`,
    );
    writeFileSync(join(dir, "sms.hbs"), sms);
    writeFileSync(
      join(dir, "template.yaml"),
      readFileSync(join(dir, "template.yaml"), "utf8")
        .replace("budget: 2", "budget: 1")
        .replace("id: energy-bill", "id: long-sms"),
    );
    const { file, ids } = profiles(3);
    const r = await omnidoc(["lint", dir, "--profiles", file]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split("\n").filter((l) => l.startsWith("OMD_"));
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(`^OMD_SMS_OVER_BUDGET at ${dir}/sms.hbs: .* \\[3 customers: ${ids.join(", ")}\\]$`),
      ),
    ]);
    expect(r.stdout).toContain("1 problem\n");
  });

  it("reports frame overflow, unknown fields and missing translations in the PDF, and fails", async () => {
    const r = await omnidoc(["lint", "test/channels/pdf/fixtures/broken", "--profiles", profiles(4).file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/OMD_PDF_FRAME_OVERFLOW .*frame "address"/);
    expect(r.stdout).toMatch(/OMD_TEMPLATE_UNKNOWN_FIELD at \S+letter.hbs:6:\d+: "\w+" is not a field of the view/);
    expect(r.stdout).toMatch(/OMD_TEMPLATE_MISSING_TRANSLATION .*onlyEnglish/);
  });

  it("passes each shipped template for sample customers on every channel", async () => {
    const { file } = profiles(8);
    const bill = await omnidoc(["lint", "templates/energy-bill", "--profiles", file]);
    expect(bill.stdout).toContain("8 of 8 sample profiles rendered (");
    expect(bill.stdout).toContain("no problems");
    expect(bill.code).toBe(0);
  });

  it("counts the sample customers outside a template's audience apart, not as failures", async () => {
    const owing = sampleProfiles().filter(
      (p) => p.account.balanceDue > 0 && p.account.inArrears && !p.account.directDebit,
    );
    const others = sampleProfiles().filter((p) => !owing.includes(p));
    const file = join(scratch, "reminder-profiles.ndjson");
    writeFileSync(file, `${[...owing.slice(0, 2), ...others.slice(0, 6)].map((p) => JSON.stringify(p)).join("\n")}\n`);
    const r = await omnidoc(["lint", "templates/payment-reminder", "--profiles", file]);
    expect(r.stdout).toContain("2 of 8 sample profiles rendered, 6 outside its audience");
    expect(r.stdout).toContain("no problems");
    expect(r.code).toBe(0);
    // Only customers it is not for: nothing was checked, which lint does not pass as clean.
    writeFileSync(
      file,
      `${others
        .slice(0, 3)
        .map((p) => JSON.stringify(p))
        .join("\n")}\n`,
    );
    const none = await omnidoc(["lint", "templates/payment-reminder", "--profiles", file]);
    expect(none.stdout).toContain("0 of 3 sample profiles rendered, 3 outside its audience");
    expect(none.stdout).toMatch(/OMD_AUDIENCE_OUTSIDE: no sample profile is inside the audience of payment-reminder/);
    expect(none.code).toBe(1);
  });
});
