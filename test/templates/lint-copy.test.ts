import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Profile } from "../../src/profile/index.ts";
import { omnidoc } from "../support/cli.ts";
import { inArrears } from "../support/customers.ts";
import { sampleProfiles } from "../support/pdf-views.ts";

/** `omnidoc lint` holds the copy to the channel and to the facts, for every sample customer. */

const scratch = mkdtempSync(join(tmpdir(), "omnidoc-lint-copy-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * Six sample customers with email and a mobile, two in each language; the first English one reads zero for
 * October and the second has no reading for it; `owing` puts them all in arrears, for the payment reminder
 * to be linted on them too.
 */
function profiles(owing = false): { file: string; zero: string; missing: string } {
  const reachable = sampleProfiles().filter((p) => p.contact.email && p.contact.mobile);
  const chosen = (["en", "fr", "de"] as const)
    .flatMap((language) => reachable.filter((p) => p.preferences.language === language).slice(0, 2))
    .map((p) => (owing ? inArrears(p as Profile) : (structuredClone(p) as Profile)));
  const october = (p: Profile) => p.usage.monthly.find((m) => m.month === "2026-10")!;
  october(chosen[0]).value = 0;
  chosen[1].usage.monthly = chosen[1].usage.monthly.filter((m) => m.month !== "2026-10");
  const file = join(scratch, "profiles.ndjson");
  writeFileSync(file, `${chosen.map((p) => JSON.stringify(p)).join("\n")}\n`);
  return { file, zero: chosen[0].id, missing: chosen[1].id };
}

const codes = (stdout: string) => stdout.split("\n").filter((l) => l.startsWith("OMD_"));

describe("copy that fits the channel and the facts", () => {
  it("passes the shipped catalogue and templates, zero and missing months included", async () => {
    const { file } = profiles(true);
    for (const dir of ["templates/energy-bill", "templates/payment-reminder"]) {
      const r = await omnidoc(["lint", dir, "--profiles", file]);
      expect(codes(r.stdout)).toEqual([]);
      expect(r.code).toBe(0);
    }
  });

  it("reports an email asked to scan a code it does not have, at the item's copy in the catalogue", async () => {
    const catalogue = join(scratch, "catalogue.yaml");
    // The winter guide as first written: one body for every channel, "scan the code" in the email too.
    const source = readFileSync("samples/catalogue.yaml", "utf8");
    const bad = source.replace(
      "timing your heating. Follow the\n          link to read it.",
      "timing your heating. Scan the code\n          or follow the link to read it.",
    );
    expect(bad).not.toBe(source);
    writeFileSync(catalogue, bad);
    // The finding points at the English body of the winter guide: the `body:` line above the sentence.
    const lines = bad.split("\n");
    const sentence = lines.findIndex((l) => l.includes("timing your heating. Scan the code"));
    const line = lines.slice(0, sentence).findLastIndex((l) => /^\s+body: >-$/.test(l)) + 1;
    const r = await omnidoc(["lint", "templates/energy-bill", "--profiles", profiles().file, "--catalogue", catalogue]);
    expect(r.code).toBe(1);
    const found = codes(r.stdout);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      new RegExp(
        `^OMD_COPY_NO_CODE at ${catalogue}:${line}:\\d+: item winter-guide asks en readers to scan a code in the email, which has none for it: "[^"]*Scan the code or follow the link to read it\\."`,
      ),
    );
  });

  it("reports a template's own words asking an email reader to scan a code, at the email template", async () => {
    const dir = join(scratch, "templates", "scan-email");
    cpSync("templates/energy-bill", dir, { recursive: true });
    const en = join(dir, "locales", "en.yaml");
    writeFileSync(
      en,
      readFileSync(en, "utf8").replace(
        /^intro: .*$/m,
        "intro: Here is your statement for {period}. Scan the QR code to pay.",
      ),
    );
    writeFileSync(
      join(dir, "template.yaml"),
      readFileSync(join(dir, "template.yaml"), "utf8").replace("id: energy-bill", "id: scan-email"),
    );
    const r = await omnidoc(["lint", dir, "--profiles", profiles().file]);
    expect(r.code).toBe(1);
    expect(codes(r.stdout)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^OMD_COPY_NO_CODE at ${dir}/email.mjml: the email asks the reader to scan a code, and an email carries none \\[2 customers`,
        ),
      ),
    ]);
  });

  it("reads no request to scan into a link: a tracked link's token may spell QR", async () => {
    // This key gives C0000136's email link the token 261205.qR-5Ku-0e6UZZxYSfREw27.
    const key = "261205:cSYGP4q55H28iG-5Hxh3PMU5pXffmnAmXCYGDCfQseI";
    const file = join(scratch, "c0000136.ndjson");
    const line = readFileSync("samples/customers-200.ndjson", "utf8")
      .split("\n")
      .find((l) => l.includes('"id":"C0000136"'));
    writeFileSync(file, `${line}\n`);
    const suiteKey = process.env.OMNIDOC_TRACKING_KEY;
    process.env.OMNIDOC_TRACKING_KEY = key;
    try {
      const out = join(scratch, "qr");
      const rendered = await omnidoc([
        "render",
        "--template",
        "energy-bill",
        "--profile",
        file,
        "--channel",
        "email",
        "--out",
        out,
      ]);
      expect(rendered.code, rendered.stderr).toBe(0);
      expect(readFileSync(join(out, "C0000136.txt"), "utf8")).toMatch(/\/r\/[\w.-]*\bqR\b/);
      const r = await omnidoc(["lint", "templates/energy-bill", "--profiles", file]);
      expect(codes(r.stdout)).toEqual([]);
      expect(r.code).toBe(0);
    } finally {
      process.env.OMNIDOC_TRACKING_KEY = suiteKey;
    }
  });

  it("reports usage wording that compares a zero or missing month with similar homes", async () => {
    const dir = join(scratch, "templates", "claims");
    cpSync("templates/energy-bill", dir, { recursive: true });
    const en = join(dir, "locales", "en.yaml");
    writeFileSync(
      en,
      readFileSync(en, "utf8")
        .replace(
          /^usageSummaryZero: .*$/m,
          "usageSummaryZero: You used 0 kWh in {month}, 100% less than similar homes.",
        )
        .replace(
          /^usageSummaryMissing: .*$/m,
          "usageSummaryMissing: You used 0 kWh in {month}, 100% less than similar homes.",
        ),
    );
    writeFileSync(
      join(dir, "template.yaml"),
      // Three segments: room for every optional part, the usage part included, in every customer's text.
      readFileSync(join(dir, "template.yaml"), "utf8")
        .replace("id: energy-bill", "id: claims")
        .replace("budget: 2", "budget: 3"),
    );
    const { file, zero, missing } = profiles();
    const r = await omnidoc(["lint", dir, "--profiles", file]);
    expect(r.code).toBe(1);
    const found = codes(r.stdout);
    for (const at of [`${dir}/locales/en.yaml`, `${dir}/email.mjml`, `${dir}/sms.hbs`]) {
      const line = found.find((l) => l.startsWith(`OMD_COPY_USAGE_CLAIM at ${at}:`));
      expect(line, at).toMatch(/yet the text compares it with similar homes: "You used 0 kWh in October, 100% less/);
      expect(line, at).toContain(zero);
      expect(line, at).toContain(missing);
    }
  });
});
