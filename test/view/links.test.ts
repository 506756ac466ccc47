import { describe, expect, it } from "vitest";
import { createHmac } from "node:crypto";
import {
  type LinkClaims,
  customerToken,
  linkToken,
  signPayLink,
  verifyCustomerToken,
  verifyLink,
} from "../../src/view/index.ts";
import { signingKeys } from "../support/signing-keys.ts";
import { KEYS, makeItem, makeProfile, viewOf } from "./fixtures.ts";

const BEFORE_EXPIRY = new Date("2026-12-01T10:00:00Z");

function edit(link: string, param: string, value: string): string {
  const url = new URL(link);
  url.searchParams.set(param, value);
  return url.toString();
}

describe("signed pay link", () => {
  const pay = viewOf(makeProfile()).links.pay;

  it("carries account, amount in minor units, currency and expiry, and verifies", () => {
    const q = new URL(pay).searchParams;
    expect(q.get("a")).toBe("72704936");
    expect(q.get("m")).toBe("113014");
    expect(q.get("c")).toBe("GBP");
    expect(q.get("e")).toBe("2026-12-22");
    const r = verifyLink(pay, KEYS.link, BEFORE_EXPIRY);
    expect(r).toEqual({
      ok: true,
      value: { account: "72704936", amount: 113014, currency: "GBP", expires: "2026-12-22" },
    });
  });

  it("detects an edited amount", () => {
    const r = verifyLink(edit(pay, "m", "1"), KEYS.link, BEFORE_EXPIRY);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0].code).toBe("OMD_LINK_TAMPERED");
  });

  it("detects an edited account, currency or expiry", () => {
    for (const [param, value] of [
      ["a", "72704937"],
      ["c", "EUR"],
      ["e", "2027-12-22"],
    ]) {
      const r = verifyLink(edit(pay, param, value), KEYS.link, BEFORE_EXPIRY);
      expect(r.ok ? "valid" : r.problems[0].code).toBe("OMD_LINK_TAMPERED");
    }
  });

  it("detects a missing signature, a garbled URL and a different key", () => {
    const unsigned = new URL(pay);
    unsigned.searchParams.delete("s");
    for (const [link, key] of [
      [unsigned.toString(), KEYS.link],
      ["not a url", KEYS.link],
      [pay, signingKeys("test:another-key-of-32-characters-at-least")],
    ] as const) {
      const r = verifyLink(link, key, BEFORE_EXPIRY);
      expect(r.ok ? "valid" : r.problems[0].code).toBe("OMD_LINK_TAMPERED");
    }
  });

  it("is valid through its last day and expired the day after", () => {
    expect(verifyLink(pay, KEYS.link, new Date("2026-12-22T23:59:59Z")).ok).toBe(true);
    const r = verifyLink(pay, KEYS.link, new Date("2026-12-23T00:00:00Z"));
    expect(r.ok ? "valid" : r.problems[0].code).toBe("OMD_LINK_EXPIRED");
  });

  it("a link signed for other claims does not verify with these", () => {
    const a = signPayLink(
      "https://pay.example/p",
      { account: "1", amount: 100, currency: "EUR", expires: "2030-01-01" },
      KEYS.link.signing,
    );
    const b = signPayLink(
      "https://pay.example/p",
      { account: "1", amount: 101, currency: "EUR", expires: "2030-01-01" },
      KEYS.link.signing,
    );
    expect(new URL(a).searchParams.get("s")).not.toBe(new URL(b).searchParams.get("s"));
  });
});

describe("tracking and unsubscribe links", () => {
  const profile = makeProfile();
  const hero = makeItem({ id: "smart-meter", experiment: { id: "smart-copy", variant: "B" } });
  const v = viewOf(profile, [hero, makeItem({ id: "paperless", slot: "secondary" })]);
  const token = (over: Partial<LinkClaims> = {}) =>
    linkToken(
      {
        purpose: "offer",
        customerId: profile.id,
        offerId: "smart-meter",
        channel: "pdf",
        runDate: "2026-11-01",
        ...over,
      },
      KEYS.tracking.signing,
    );

  it("keep the offer's own URL with campaign parameters as the target, out of every document's link", () => {
    const url = new URL(v.offers.hero!.target!);
    expect(url.origin + url.pathname).toBe("https://www.northwind-energy.example/smart");
    expect(url.searchParams.get("ref")).toBe("bill");
    expect(url.searchParams.get("utm_source")).toBe("omnidoc");
    expect(url.searchParams.get("utm_campaign")).toBe("smart-meter");
    expect(url.searchParams.get("utm_content")).toBe("B");
    expect(url.searchParams.get("cid")).toBe(customerToken(profile.id, KEYS.tracking.signing, "cid"));
    expect(new URL(v.offers.secondary[0].target!).searchParams.has("utm_content")).toBe(false);
  });

  it("lead every channel through omnidoc's redirect with a token of its own", () => {
    const links = v.offers.hero!.cta!.links;
    for (const channel of ["pdf", "email", "sms"] as const) {
      expect(links[channel].token).toBe(token({ channel }));
      expect(links[channel].url).toBe(`https://go.northwind-energy.example/r/${links[channel].token}`);
    }
    expect(new Set(Object.values(links).map((l) => l.token)).size).toBe(3);
    expect(v.offers.secondary[0].cta!.links.pdf.token).toBe(token({ offerId: "paperless" }));
    expect(v.links.unsubscribeToken).toBe(token({ purpose: "unsubscribe", offerId: undefined, channel: "email" }));
    expect(v.links.unsubscribe).toBe(
      `https://www.northwind-energy.example/unsubscribe?t=${encodeURIComponent(v.links.unsubscribeToken)}`,
    );
  });

  it("carry no raw id or personal data, only keyed tokens", () => {
    const personal = [
      profile.id,
      profile.account.number,
      profile.contact.email!,
      profile.contact.mobile!,
      "Chlo",
      "Berg",
      "Manchester",
      "M1",
    ];
    const items = [v.offers.hero!, v.offers.secondary[0]];
    for (const link of [...items.flatMap((i) => Object.values(i.cta!.links).map((l) => l.url)), v.links.unsubscribe]) {
      const decoded = decodeURIComponent(link);
      for (const pii of personal) expect(decoded).not.toContain(pii);
      expect(decoded).not.toContain("utm_");
    }
    expect([...new URL(v.links.unsubscribe).searchParams.keys()]).toEqual(["t"]);
  });

  it("tokens depend on the key and differ by purpose, customer, offer, channel and run date", () => {
    const cid = customerToken(profile.id, KEYS.tracking.signing, "cid");
    expect(cid).toMatch(/^test\.[\w-]{22}$/);
    expect(customerToken(profile.id, { kid: "test", secret: "x".repeat(32) }, "cid")).not.toBe(cid);
    expect(customerToken(profile.id, KEYS.tracking.signing, "unsubscribe")).not.toBe(cid);
    expect(customerToken("C0000002", KEYS.tracking.signing, "cid")).not.toBe(cid);

    const t = token();
    expect(t).toMatch(/^test\.[\w-]{22}$/);
    const others = [
      token({ purpose: "unsubscribe" }),
      token({ customerId: "C0000002" }),
      token({ offerId: "paperless" }),
      token({ channel: "email" }),
      token({ runDate: "2026-12-01" }),
      linkToken(
        { purpose: "offer", customerId: profile.id, offerId: "smart-meter", channel: "pdf", runDate: "2026-11-01" },
        { kid: "test", secret: "x".repeat(32) },
      ),
    ];
    expect(new Set([t, ...others]).size).toBe(others.length + 1);
  });
});

describe("key rotation", () => {
  const OLD = "2026-05:old-secret-of-the-may-key-0123456789";
  const NEW = "2026-11:new-secret-of-the-november-key-012345";
  const before = signingKeys(OLD);
  const rotated = signingKeys(`${NEW},${OLD}`);
  const claims = { account: "72704936", amount: 113014, currency: "GBP", expires: "2026-12-22" };
  const sig = (link: string) => new URL(link).searchParams.get("s");

  it("signs with the first key and names it in the link", () => {
    expect(sig(signPayLink("https://pay.example/p", claims, rotated.signing))).toMatch(/^2026-11\.[\w-]{22}$/);
    expect(customerToken("C1", rotated.signing, "unsubscribe")).toMatch(/^2026-11\.[\w-]{22}$/);
  });

  it("verifies what the old key signed while it stays listed, and not once it is dropped", () => {
    const oldLink = signPayLink("https://pay.example/p", claims, before.signing);
    expect(verifyLink(oldLink, rotated, BEFORE_EXPIRY).ok).toBe(true);
    expect(verifyLink(oldLink, signingKeys(NEW), BEFORE_EXPIRY).ok).toBe(false);
    const oldToken = customerToken("C1", before.signing, "unsubscribe");
    expect(verifyCustomerToken(oldToken, "C1", rotated, "unsubscribe")).toBe(true);
    expect(verifyCustomerToken(oldToken, "C2", rotated, "unsubscribe")).toBe(false);
    expect(verifyCustomerToken(oldToken, "C1", rotated, "cid")).toBe(false);
    expect(verifyCustomerToken(oldToken, "C1", signingKeys(NEW), "unsubscribe")).toBe(false);
  });

  it("refuses a key id it does not hold, and a signature moved to another key id", () => {
    const link = signPayLink("https://pay.example/p", claims, rotated.signing);
    const tag = sig(link)!.split(".")[1];
    for (const s of [`2027-01.${tag}`, `2026-05.${tag}`, tag, `.${tag}`]) {
      const r = verifyLink(edit(link, "s", s), rotated, BEFORE_EXPIRY);
      expect(r.ok ? "valid" : r.problems[0].code, s).toBe("OMD_LINK_TAMPERED");
    }
  });

  it("does not verify a link minted with the fixed development key omnidoc once fell back to", () => {
    // What anyone could mint from the old source: any amount, any expiry, signed with a string in the code.
    const forged = { ...claims, amount: 1, expires: "2099-12-31" };
    const mac = createHmac("sha256", "omnidoc-development-linkKey")
      .update(`pay|${forged.account}|${forged.amount}|${forged.currency}|${forged.expires}`)
      .digest("base64url")
      .slice(0, 22);
    const link = `https://pay.example/p?a=${forged.account}&m=1&c=GBP&e=2099-12-31&s=${mac}`;
    for (const keys of [KEYS.link, rotated]) expect(verifyLink(link, keys, BEFORE_EXPIRY).ok).toBe(false);
  });
});
