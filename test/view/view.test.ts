import { describe, expect, it } from "vitest";
import { buildView, formatters } from "../../src/view/index.ts";
import { makeItem, makeProfile, makeViewInput, viewOf } from "./fixtures.ts";

const NBSP = "\u00a0";
const NNBSP = "\u202f";

describe("buildView formats for the customer's locale", () => {
  it("en-GB: pounds, British dates, English months and summary", () => {
    const v = viewOf(makeProfile());
    expect(v.account.balanceDue).toBe("£1,130.14");
    expect(v.account.dueDate).toBe("22 November 2026");
    expect(v.account.charges[0]).toEqual({
      description: "Electricity — energy used",
      quantity: "427.23",
      unit: "kWh",
      rate: "£0.2462",
      amount: "£105.18",
    });
    expect(v.usage.monthly.map((m) => m.label).slice(0, 3)).toEqual(["Nov", "Dec", "Jan"]);
    expect(v.usage.summary).toBe("You used 427 kWh in October, 7% less than similar homes.");
    expect(v.customer.fullName).toBe("Dr Chloé van der Berg");
  });

  it("en-IE: euros with English conventions", () => {
    const v = viewOf(makeProfile({ locale: "en-IE", currency: "EUR" }));
    expect(v.account.balanceDue).toBe("€1,130.14");
    expect(v.account.vat).toBe("€6.20");
    expect(v.account.statementDate).toBe("1 November 2026");
  });

  it("fr-FR: French separators, months and summary", () => {
    const v = viewOf(makeProfile({ locale: "fr-FR", currency: "EUR", language: "fr" }));
    expect(v.account.balanceDue).toBe(`1${NNBSP}130,14${NBSP}€`);
    expect(v.account.dueDate).toBe("22 novembre 2026");
    expect(v.account.charges[0].rate).toBe(`0,2462${NBSP}€`);
    expect(v.usage.monthly[11].label).toBe("oct.");
    expect(v.usage.summary).toBe(
      `Vous avez consommé 427 kWh en octobre, soit 7${NBSP}% de moins que des foyers similaires.`,
    );
  });

  it("de-DE: German separators, months and summary", () => {
    const v = viewOf(makeProfile({ locale: "de-DE", currency: "EUR", language: "de" }));
    expect(v.account.balanceDue).toBe(`1.130,14${NBSP}€`);
    expect(v.account.dueDate).toBe("22. November 2026");
    expect(v.account.charges[0].quantity).toBe("427,23");
    expect(v.usage.monthly[11].label).toBe("Okt");
    expect(v.usage.summary).toBe(
      `Sie haben im Oktober 427 kWh verbraucht, 7${NBSP}% weniger als vergleichbare Haushalte.`,
    );
  });

  it("says more and about the same when usage is above or at the peer average", () => {
    const above = makeProfile();
    above.usage.peerAverage = 380;
    expect(viewOf(above).usage.summary).toBe("You used 427 kWh in October, 12% more than similar homes.");
    const same = makeProfile();
    same.usage.peerAverage = 428;
    expect(viewOf(same).usage.summary).toBe("You used 427 kWh in October, about the same as similar homes.");
  });

  it("orders months even when the extract does not", () => {
    const p = makeProfile();
    p.usage.monthly.reverse();
    const v = viewOf(p);
    expect(v.usage.monthly[0].month).toBe("2025-11");
    expect(v.usage.monthly[11].month).toBe("2026-10");
  });

  it("shows a credit as its absolute value and says it is a credit", () => {
    const p = makeProfile();
    p.account.balanceDue = -42.5;
    const v = viewOf(p);
    expect(v.account.balanceDue).toBe("£42.50");
    expect(v.account.isCredit).toBe(true);
    expect(v.account.balanceDueAmount).toBe(-42.5);
    expect(new URL(v.links.pay).searchParams.get("m")).toBe("0");
    expect(viewOf(makeProfile()).account.isCredit).toBe(false);
  });

  it("is pure: same input, same view", () => {
    const input = makeViewInput(makeProfile(), [makeItem({ id: "smart-meter" })]);
    expect(buildView(input)).toEqual(buildView(input));
  });

  it("keeps plain strings: markup in a name is not escaped by the view", () => {
    const v = viewOf(makeProfile({ name: { first: "</p><script>", last: "O'Sullivan" } }));
    expect(v.customer.fullName).toBe("</p><script> O'Sullivan");
  });

  it("caches formatters per locale and currency", () => {
    expect(formatters("fr-FR", "EUR")).toBe(formatters("fr-FR", "EUR"));
    expect(formatters("fr-FR", "EUR")).not.toBe(formatters("en-IE", "EUR"));
  });

  it("resolves item copy and keeps the item's identity", () => {
    const v = viewOf(makeProfile(), [
      makeItem({ id: "smart-meter" }),
      makeItem({ id: "paperless", slot: "secondary", kind: "service", marketing: false }),
      makeItem({
        id: "price-cap",
        slot: "notice",
        kind: "regulatory",
        marketing: false,
        copy: { headline: "Price cap", body: "From January…" },
      }),
    ]);
    expect(v.offers.hero).toMatchObject({
      id: "smart-meter",
      headline: "Go smart",
      sms: "Get a free smart meter: no more estimated bills.",
    });
    expect(v.offers.secondary.map((i) => i.id)).toEqual(["paperless"]);
    expect(v.offers.notices[0]).toMatchObject({ id: "price-cap", headline: "Price cap" });
    expect(v.offers.notices[0].cta).toBeUndefined();
  });
});

describe("usage summary without usage labels", () => {
  it("is empty for a template that defines none, not a bare label key", () => {
    const input = makeViewInput(makeProfile());
    expect(buildView({ ...input, labels: { greeting: "Dear {name}," } }).usage.summary).toBe("");
  });
});
