import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { type CompiledSms, normaliseForSms } from "../../../src/channels/sms/index.ts";
import { type Catalogue, decide, loadCatalogue } from "../../../src/decide/index.ts";
import { nodeWorld } from "../../../src/node-world.ts";
import { type Profile, parseProfileLine } from "../../../src/profile/index.ts";
import { buildView } from "../../../src/view/index.ts";
import { KEYS, LINKS, SENDER, labelsFor } from "../../view/fixtures.ts";
import { compileSms, renderSms } from "./support.ts";

const RUN_DATE = "2026-11-01";
const flat = (s: string) => normaliseForSms(s).replace(/\s+/g, " ");

/** The 200 sample customers through the real catalogue and decision engine, then the SMS channel. */
describe("SMS for the sample customers", () => {
  let catalogue: Catalogue;
  let sms: CompiledSms;
  const profiles: Profile[] = readFileSync("samples/customers-200.ndjson", "utf8")
    .trim()
    .split("\n")
    .map((line, i) => {
      const r = parseProfileLine(line, i + 1);
      if (!r.ok) throw new Error(`sample line ${i + 1} is invalid`);
      return r.value;
    });

  beforeAll(async () => {
    const c = loadCatalogue(nodeWorld(), "samples/catalogue.yaml");
    if (!c.ok) throw new Error(c.problems.map((p) => p.message).join("\n"));
    catalogue = c.value;
    sms = await compileSms();
  });

  it("every customer with a mobile gets a text within budget that carries balance, due date and the hero it may carry", async () => {
    const seen = { texts: 0, noMobile: 0, withOffer: 0, ucs2: 0, stop: 0 };
    for (const profile of profiles) {
      const decision = decide(catalogue, profile, { runDate: RUN_DATE });
      const labels = labelsFor(profile.preferences.language);
      const view = buildView({
        profile,
        decision,
        labels,
        runDate: RUN_DATE,
        keys: KEYS,
        links: LINKS,
        sender: SENDER,
      });
      const { result } = await renderSms(sms, view);
      if (!profile.contact.mobile) {
        expect(result.ok ? "sent" : result.problems[0].code).toBe("OMD_SMS_NO_MOBILE");
        seen.noMobile++;
        continue;
      }
      if (!result.ok) throw new Error(`${profile.id}: ${result.problems[0].message}`);
      const out = result.value;
      seen.texts++;
      expect(out.segments).toBeLessThanOrEqual(2);
      expect(out.text).toContain(flat(view.account.balanceDue));
      if (!view.account.isCredit) expect(out.text).toContain(flat(view.account.dueDate));
      const hero = decision.slots.hero[0];
      const heroBySms = hero?.channels.includes("sms") && hero.copy.sms;
      if (out.parts.includes("offer")) {
        expect(heroBySms).toBeTruthy();
        expect(out.text).toContain(flat(hero.copy.sms!));
        seen.withOffer++;
      }
      // A text without consent never carries marketing, so never needs the opt-out.
      if (!profile.preferences.marketingConsent) expect(out.text).not.toContain("STOP");
      const marketingKept = [hero, ...decision.slots.secondary].some(
        (i) => i?.marketing && i.copy.sms && i.channels.includes("sms") && out.text.includes(flat(i.copy.sms)),
      );
      expect(out.text.endsWith(flat(labels.smsStop))).toBe(marketingKept);
      if (marketingKept) seen.stop++;
      if (out.encoding === "UCS-2") seen.ucs2++;
    }
    expect(seen.texts + seen.noMobile).toBe(profiles.length);
    expect(seen.withOffer).toBeGreaterThan(0);
  });
});
