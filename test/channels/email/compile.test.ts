import { describe, expect, it } from "vitest";
import { emailChannel } from "../../../src/channels/email/index.ts";
import { nodeWorld } from "../../../src/node-world.ts";
import { energyBillPackage, mjmlWith, withEmailTemplate } from "../../support/email-package.ts";

const world = nodeWorld();
const compile = (mjml: string, colours = {}) => emailChannel.compile(withEmailTemplate(mjml, colours), world);

describe("compiling the email template", () => {
  it("compiles the energy-bill email once per language", async () => {
    const r = await emailChannel.compile(energyBillPackage(), world);
    expect(r.ok && [...r.value.html.keys()]).toEqual(["en", "fr", "de"]);
  });

  it("takes theme colours, palette roles and plain labels into typed attributes before MJML runs", async () => {
    const r = await compile(
      mjmlWith(`<mj-text color="{{palette.muted}}" font-size="13px">{{labels.payNow}}</mj-text>`),
    );
    expect(r.ok).toBe(true);
  });

  it("rejects a per-customer placeholder in a typed attribute, at its line and column", async () => {
    const r = await compile(mjmlWith(`        <mj-text color="{{customer.colour}}">x</mj-text>`));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ code: "OMD_EMAIL_PLACEHOLDER", at: "templates/energy-bill/email.mjml:6:18" });
    expect(r.problems[0].message).toContain('color="{{customer.colour}}"');
  });

  it("allows per-customer placeholders in href, src and alt", async () => {
    const r = await compile(
      mjmlWith(`<mj-image src="{{url email.chart.src}}" alt="{{email.chart.alt}}" href="{{url links.pay}}" />`),
    );
    expect(r.ok).toBe(true);
  });

  it("rejects a label with placeholders used as a compile-time value, and says how to write it", async () => {
    const r = await compile(mjmlWith("<mj-text>{{labels.greeting}}</mj-text>"));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems[0]).toMatchObject({ code: "OMD_EMAIL_PLACEHOLDER", hint: 'write {{label "greeting" name=…}}' });
  });

  it("names an unknown theme value or label", async () => {
    const r = await compile(mjmlWith(`<mj-text color="{{palette.nope}}">{{labels.noSuchLabel}}</mj-text>`));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => [p.code, p.message])).toEqual([
      ["OMD_TEMPLATE_UNKNOWN_FIELD", "{{palette.nope}}: no such value"],
      ["OMD_TEMPLATE_UNKNOWN_LABEL", "{{labels.noSuchLabel}}: no such label"],
    ]);
  });

  it("fails when a block helper between MJML sections is not wrapped in mj-raw (MJML would drop it)", async () => {
    const bare = mjmlWith(
      "<mj-text>a</mj-text>",
      "{{#if email.marketing}}<mj-section><mj-column><mj-text>b</mj-text></mj-column></mj-section>{{/if}}",
    );
    const r = await compile(bare);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    // MJML drops text between sections silently; the survival check is what notices.
    expect(r.problems.map((p) => [p.code, p.message, p.at])).toEqual([
      [
        "OMD_EMAIL_PLACEHOLDER",
        "{{#if email.marketing}} did not come through MJML intact",
        "templates/energy-bill/email.mjml:9:1",
      ],
      ["OMD_EMAIL_PLACEHOLDER", "{{/if}} did not come through MJML intact", "templates/energy-bill/email.mjml:9:92"],
    ]);
    const wrapped = mjmlWith(
      "<mj-text>a</mj-text>",
      "<mj-raw>{{#if email.marketing}}</mj-raw><mj-section><mj-column><mj-text>b</mj-text></mj-column></mj-section><mj-raw>{{/if}}</mj-raw>",
    );
    expect((await compile(wrapped)).ok).toBe(true);
  });

  it("reports invalid MJML with its line", async () => {
    const r = await compile(mjmlWith(`<mj-text padding="lots">x</mj-text>`));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems[0].code).toBe("OMD_EMAIL_MJML");
    expect(r.problems[0].at).toBe("templates/energy-bill/email.mjml:6");
  });

  it("reports a Handlebars syntax error before running MJML", async () => {
    const r = await compile(mjmlWith("<mj-text>{{#if account.isCredit}}x</mj-text>"));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems[0].code).toBe("OMD_TEMPLATE_SYNTAX");
  });

  it("refuses a theme whose colours fail WCAG AA in the email", async () => {
    const r = await compile(mjmlWith("<mj-text>x</mj-text>"), { muted: "#9AA5AD" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems[0].code).toBe("OMD_EMAIL_CONTRAST");
    expect(r.problems[0].message).toMatch(/muted #9AA5AD on card #FFFFFF has contrast 2\.\d\d:1, below WCAG AA 4\.5:1/);
  });
});
