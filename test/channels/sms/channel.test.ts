import { beforeAll, describe, expect, it } from "vitest";
import { type CompiledSms, countSegments, isGsm7 } from "../../../src/channels/sms/index.ts";
import { makeItem, makeProfile, viewOf } from "../../view/fixtures.ts";
import { compileSms, energyBillPackage, renderSms } from "./support.ts";

const STOP = "Reply STOP to opt out";
let sms: CompiledSms;
beforeAll(async () => {
  sms = await compileSms();
});

async function textOf(view: ReturnType<typeof viewOf>, compiled = sms) {
  const { result, warnings } = await renderSms(compiled, view);
  if (!result.ok) throw new Error(result.problems.map((p) => p.code).join());
  return { ...result.value, warnings };
}

describe("energy-bill SMS", () => {
  it("carries balance, due date and the signed pay link, in GSM-7, to the customer's mobile", async () => {
    const view = viewOf(makeProfile());
    const out = await textOf(view);
    expect(out.to).toBe("+447700999401");
    expect(out.text).toContain("your bill is £1,130.14, due 22 November 2026.");
    expect(out.text).toContain(`Pay: ${view.links.pay}`);
    expect(out.text.startsWith("Northwind Energy: Hi Chloé,")).toBe(true);
    expect(out.encoding).toBe("GSM-7");
    expect(out.segments).toBe(countSegments(out.text).segments);
    expect(out.parts.slice(0, 4)).toEqual(["sender", "greeting", "balance", "pay"]);
  });

  it("does not HTML-escape names: SMS is plain text", async () => {
    const out = await textOf(viewOf(makeProfile({ name: { first: "D'Arcy <b>&", last: "O'Sullivan" } })));
    expect(out.text).toContain("Hi D'Arcy <b>&,");
  });

  it("normalises the narrow and non-breaking spaces of French and German money, so € texts stay GSM-7", async () => {
    for (const [locale, language, amount] of [
      ["fr-FR", "fr", "1 130,14 €"],
      ["de-DE", "de", "1.130,14 €"],
    ] as const) {
      const out = await textOf(viewOf(makeProfile({ locale, currency: "EUR", language })));
      expect(out.text).toContain(amount);
      expect(out.encoding).toBe("GSM-7");
    }
  });

  it("direct-debit customers get the collection date and no pay link; credit customers nothing to pay", async () => {
    const dd = makeProfile();
    dd.account.directDebit = true;
    const ddOut = await textOf(viewOf(dd));
    expect(ddOut.text).toContain("We will collect it by Direct Debit on 22 November 2026.");
    expect(ddOut.parts).not.toContain("pay");
    const credit = makeProfile();
    credit.account.balanceDue = -12.3;
    const creditOut = await textOf(viewOf(credit));
    expect(creditOut.text).toContain("your account is £12.30 in credit. Nothing to pay.");
    expect(creditOut.text).not.toContain("https://pay.");
  });

  it("normalises curly quotes and dashes in the offer's copy before choosing the encoding", async () => {
    const hero = makeItem({
      id: "smart-meter",
      copy: { headline: "Go smart", body: "", sms: "It’s “free” – book today…" },
    });
    const out = await textOf(viewOf(makeProfile(), [hero]));
    expect(out.text).toContain(`It's "free" - book today...`);
    expect(out.encoding).toBe("GSM-7");
  });

  it("a Cyrillic name that UCS-2 has no room for is spelled in GSM-7, and the customer still greeted", async () => {
    const view = viewOf(makeProfile({ name: { first: "Дмитрий", last: "O'Sullivan" } }));
    const out = await textOf(view);
    expect(out.parts).toContain("greeting");
    expect(out.text).toContain("Hi Dmitriy,");
    expect(out.encoding).toBe("GSM-7");
  });

  it("a Cyrillic name stays when the budget has room, in UCS-2 at 67 a segment", async () => {
    const roomy = await compileSms(energyBillPackage({ budget: 5 }));
    const out = await textOf(viewOf(makeProfile({ name: { first: "Дмитрий", last: "Иванов" } })), roomy);
    expect(out.text).toContain("Hi Дмитрий,");
    expect(out.encoding).toBe("UCS-2");
    expect(out.segments).toBe(Math.ceil(out.text.length / 67));
  });

  it("meets the budget by dropping optional parts in the template's order", async () => {
    const hero = makeItem({ id: "smart-meter" });
    const out = await textOf(viewOf(makeProfile(), [hero]));
    // usage (drop=1) goes before the offer's link (drop=3); the offer copy (drop=5) stays.
    expect(out.parts).toEqual(
      ["sender", "greeting", "balance", "pay", "offer", "usage"].filter((p) => out.parts.includes(p)),
    );
    expect(out.parts).toContain("offer");
    expect(out.parts).not.toContain("offerLink");
    expect(out.segments).toBeLessThanOrEqual(2);
    const tight = await compileSms(energyBillPackage({ budget: 1 }));
    const { result } = await renderSms(tight, viewOf(makeProfile(), [hero]));
    expect(result.ok ? "fits" : result.problems[0].code).toBe("OMD_SMS_OVER_BUDGET");
  });

  it("reports over budget, naming the customer and the parts, when the required parts do not fit", async () => {
    const { result } = await renderSms(await compileSms(energyBillPackage({ budget: 1 })), viewOf(makeProfile()));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems[0]).toMatchObject({ code: "OMD_SMS_OVER_BUDGET", at: "templates/energy-bill/sms.hbs" });
      expect(result.problems[0].message).toContain("C0000001");
    }
  });

  it("ends marketing texts with the opt-out, in the customer's language; service texts without", async () => {
    const offer = makeItem({ id: "smart-meter" });
    const service = makeItem({
      id: "paperless",
      kind: "service",
      marketing: false,
      copy: { headline: "Paperless", body: "", sms: "Your bills are now paperless." },
    });
    const marketing = await textOf(viewOf(makeProfile(), [offer]));
    expect(marketing.text.endsWith(STOP)).toBe(true);
    const serviceOut = await textOf(viewOf(makeProfile(), [service]));
    expect(serviceOut.text).toContain("Your bills are now paperless.");
    expect(serviceOut.text).not.toContain("STOP");
    const roomy = await compileSms(energyBillPackage({ budget: 3 }));
    const fr = await textOf(viewOf(makeProfile({ locale: "fr-FR", currency: "EUR", language: "fr" }), [offer]), roomy);
    expect(fr.text.endsWith("Répondez STOP pour ne plus recevoir d'offres")).toBe(true);
    expect(isGsm7(fr.text)).toBe(true);
  });

  it("leaves out items that may not go by SMS, and marketing without consent", async () => {
    const printOnly = makeItem({ id: "smart-meter", channels: ["print", "email"] });
    expect((await textOf(viewOf(makeProfile(), [printOnly]))).parts).not.toContain("offer");
    const noConsent = makeProfile();
    noConsent.preferences.marketingConsent = false;
    const out = await textOf(viewOf(noConsent, [makeItem({ id: "smart-meter" })]));
    expect(out.parts).not.toContain("offer");
    expect(out.text).not.toContain("STOP");
  });

  it("a customer with no mobile gets a problem, not a text", async () => {
    const p = makeProfile();
    delete p.contact.mobile;
    const { result } = await renderSms(sms, viewOf(p));
    expect(result.ok ? "sent" : result.problems[0].code).toBe("OMD_SMS_NO_MOBILE");
  });

  it("is pure: same view, same text", async () => {
    const view = viewOf(makeProfile(), [makeItem({ id: "smart-meter" })]);
    expect(await textOf(view)).toEqual(await textOf(view));
  });
});
