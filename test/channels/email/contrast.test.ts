import { describe, expect, it } from "vitest";
import { contrastRatio, emailPalette } from "../../../src/channels/email/index.ts";
import { energyBillPackage } from "../../support/email-package.ts";

describe("WCAG contrast", () => {
  it("computes the WCAG ratio", () => {
    expect(contrastRatio("#000000", "#FFFFFF")).toBeCloseTo(21, 5);
    expect(contrastRatio("#FFFFFF", "#FFFFFF")).toBe(1);
    // #767676 is the lightest grey that passes AA on white; #777777 just fails.
    expect(contrastRatio("#767676", "#FFFFFF")).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio("#777777", "#FFFFFF")).toBeLessThan(4.5);
  });

  it("gives the sample brand AA contrast for every pair the email shows, light and dark", () => {
    const p = emailPalette(energyBillPackage().theme);
    const light: [string, string][] = [
      [p.text, p.card],
      [p.muted, p.card],
      [p.muted, p.page],
      [p.onButton, p.button],
      [p.onBrand, p.brandBand],
      [p.balance, p.box],
      [p.arrears, p.box],
      [p.credit, p.box],
    ];
    const dark: [string, string][] = [
      [p.dark.text, p.dark.card],
      [p.dark.muted, p.dark.page],
      [p.dark.onButton, p.dark.button],
      [p.dark.balance, p.dark.box],
      [p.dark.arrears, p.dark.box],
      [p.dark.credit, p.dark.box],
    ];
    for (const [fg, bg] of [...light, ...dark])
      expect(contrastRatio(fg, bg), `${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(p.dark.balance, p.dark.box)).toBeGreaterThan(10);
  });
});
