import { describe, expect, it } from "vitest";
import { smsChannel } from "../../../src/channels/sms/index.ts";
import { makeProfile, viewOf } from "../../view/fixtures.ts";
import { compileSms, energyBillPackage, renderSms } from "./support.ts";

async function problemsOf(pkg: ReturnType<typeof energyBillPackage>) {
  const r = await smsChannel.compile(pkg, undefined as never);
  return r.ok ? [] : r.problems.map((p) => ({ code: p.code, at: p.at }));
}

describe("SMS template compile", () => {
  it("rejects text outside a part, with its location", async () => {
    const sms = '{{#part "a"}}x{{/part}}\nstray text\n';
    expect(await problemsOf(energyBillPackage({ sms }))).toEqual([
      { code: "OMD_SMS_TEMPLATE_PARTS", at: "templates/energy-bill/sms.hbs:2:1" },
    ]);
  });

  it("rejects other top-level blocks, unnamed or duplicate parts and unknown options", async () => {
    const sms = [
      "{{#if x}}y{{/if}}",
      "{{#part name}}x{{/part}}",
      '{{#part "a"}}x{{/part}}',
      '{{#part "a"}}x{{/part}}',
      '{{#part "b" optional=true}}x{{/part}}',
    ].join("\n");
    const problems = await problemsOf(energyBillPackage({ sms }));
    expect(problems.map((p) => p.at)).toEqual([1, 2, 4, 5].map((l) => `templates/energy-bill/sms.hbs:${l}:1`));
    expect(new Set(problems.map((p) => p.code))).toEqual(new Set(["OMD_SMS_TEMPLATE_PARTS"]));
  });

  it("reports a Handlebars syntax error with its line", async () => {
    const problems = await problemsOf(energyBillPackage({ sms: '{{#part "a"}}\n{{#if x}}\n{{/part}}' }));
    expect(problems[0].code).toBe("OMD_TEMPLATE_SYNTAX");
    expect(problems[0].at).toMatch(/^templates\/energy-bill\/sms\.hbs:\d+:\d+$/);
  });

  it("needs the opt-out label in every language", async () => {
    const pkg = energyBillPackage();
    const { smsStop: _, ...deWithout } = pkg.locales.de;
    expect(await problemsOf(energyBillPackage({ locales: { ...pkg.locales, de: deWithout } }))).toEqual([
      { code: "OMD_TEMPLATE_MISSING_TRANSLATION", at: "templates/energy-bill/locales/de.yaml" },
    ]);
  });

  it("compiles strict: a misspelt field fails the render with a problem, not a blank", async () => {
    const compiled = await compileSms(energyBillPackage({ sms: '{{#part "a"}}{{account.balanceDew}}{{/part}}' }));
    const { result } = await renderSms(compiled, viewOf(makeProfile()));
    expect(result.ok ? "rendered" : result.problems[0].code).toBe("OMD_TEMPLATE_RENDER");
  });
});
