import { beforeAll, describe, expect, it } from "vitest";
import { countSegments } from "../../../src/channels/sms/index.ts";
import { gsmSpelling } from "../../../src/channels/sms/spelling.ts";
import { type Composition, buildEngine, compose, nodeWorld, parseProfileLine } from "../../../src/index.ts";
import { generateLines } from "../../support/customers.ts";
import { makeProfile, viewOf } from "../../view/fixtures.ts";
import { compileSms, energyBillPackage, renderSms } from "./support.ts";

/**
 * 3GPP TS 23.038 §6.2.1, the GSM 7-bit default alphabet as Unicode code points in septet order 0x00–0x7F
 * (0x1B is the escape to the extension table, not a character), and §6.2.1.1's extension table.
 */
const DEFAULT_ALPHABET = [
  0x40, 0xa3, 0x24, 0xa5, 0xe8, 0xe9, 0xf9, 0xec, 0xf2, 0xc7, 0x0a, 0xd8, 0xf8, 0x0d, 0xc5, 0xe5, 0x394, 0x5f, 0x3a6,
  0x393, 0x39b, 0x3a9, 0x3a0, 0x3a8, 0x3a3, 0x398, 0x39e, -1, 0xc6, 0xe6, 0xdf, 0xc9, 0x20, 0x21, 0x22, 0x23, 0xa4,
  0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37,
  0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0xa1, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a,
  0x4b, 0x4c, 0x4d, 0x4e, 0x4f, 0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0xc4, 0xd6, 0xd1,
  0xdc, 0xa7, 0xbf, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
  0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0xe4, 0xf6, 0xf1, 0xfc, 0xe0,
];
const EXTENSION = [0x0c, 0x5e, 0x7b, 0x7d, 0x5c, 0x5b, 0x7e, 0x5d, 0x7c, 0x20ac];
const GSM_03_38 = new Set(
  [...DEFAULT_ALPHABET, ...EXTENSION].filter((c) => c >= 0).map((c) => String.fromCodePoint(c)),
);
const inGsm = (s: string) => [...s].every((ch) => GSM_03_38.has(ch));

describe("a name spelled in GSM 03.38", () => {
  it("maps only what the alphabet lacks, and transliterates other scripts whole", () => {
    expect(DEFAULT_ALPHABET).toHaveLength(128);
    const cases: [string, string][] = [
      ["Łukasz", "Lukasz"],
      ["Małgorzata", "Malgorzata"],
      ["Siobhán", "Siobhan"],
      ["Þórunn", "Thorunn"],
      ["Ngọc Ánh", "Ngoc Anh"],
      ["Đức Anh", "Duc Anh"],
      ["Δημήτρης", "Dimitris"],
      ["Ελένη", "Eleni"],
      ["Олександр", "Oleksandr"],
      // Letters GSM-7 has stay as they are.
      ["Zoé", "Zoé"],
      ["Jürgen", "Jürgen"],
      ["Núñez", "Nuñez"],
      ["Søren Åberg", "Søren Åberg"],
      ["Käthe Straßer", "Käthe Straßer"],
      ["O’Sullivan", "O'Sullivan"],
    ];
    for (const [name, spelled] of cases) {
      expect(gsmSpelling(name), name).toBe(spelled);
      expect(inGsm(gsmSpelling(name)), name).toBe(true);
    }
  });
});

describe("every customer with a first name is greeted by SMS", () => {
  let composed: Composition[];
  beforeAll(async () => {
    const engine = await buildEngine(nodeWorld());
    if (!engine.ok) throw new Error(JSON.stringify(engine.problems));
    composed = [];
    for (const [i, line] of generateLines(400, "--seed", "15").entries()) {
      const p = parseProfileLine(line, i + 1);
      if (!p.ok) throw new Error(JSON.stringify(p.problems));
      if (!p.value.contact.mobile) continue;
      const r = await compose(engine.value, p.value, {
        template: "energy-bill",
        channels: ["sms"],
        runDate: "2026-11-01",
      });
      if (!r.ok) throw new Error(JSON.stringify(r.problems));
      composed.push(r.value);
    }
  }, 120_000);

  for (const nonGsm of ["transliterate", "ucs2"] as const) {
    it(`with nonGsm: ${nonGsm}, over generated customers with Greek, Cyrillic, Vietnamese and Polish names`, async () => {
      const sms = await compileSms(energyBillPackage({ nonGsm }));
      let nonGsmNames = 0;
      let written = 0;
      for (const { view } of composed) {
        const { result } = await renderSms(sms, view);
        if (!result.ok) throw new Error(JSON.stringify(result.problems));
        const first = view.customer.first;
        const out = result.value;
        expect(out.parts, `${view.customer.id} ${first}`).toContain("greeting");
        expect(out.segments).toBeLessThanOrEqual(sms.budget);
        if (inGsm(first)) {
          expect(out.text).toContain(first);
          continue;
        }
        nonGsmNames++;
        if (out.text.includes(first)) {
          written++;
          expect(nonGsm).toBe("ucs2");
          expect(out.encoding).toBe("UCS-2");
        } else {
          expect(out.text).toContain(gsmSpelling(first));
          expect(inGsm(gsmSpelling(first))).toBe(true);
        }
        expect(countSegments(out.text).segments).toBe(out.segments);
      }
      expect(nonGsmNames).toBeGreaterThan(30);
      if (nonGsm === "transliterate") expect(written).toBe(0);
    });
  }

  it("with ucs2, keeps a name as written when the UCS-2 text fits the budget, and spells it when it does not", async () => {
    const view = viewOf(makeProfile({ name: { first: "Ελένη", last: "Παπαδοπούλου" } }));
    const roomy = (await renderSms(await compileSms(energyBillPackage({ nonGsm: "ucs2", budget: 5 })), view)).result;
    const tight = (await renderSms(await compileSms(energyBillPackage({ nonGsm: "ucs2", budget: 2 })), view)).result;
    const spelled = (await renderSms(await compileSms(energyBillPackage({ nonGsm: "transliterate", budget: 5 })), view))
      .result;
    if (!roomy.ok || !tight.ok || !spelled.ok) throw new Error("not rendered");
    expect(roomy.value.text).toContain("Hi Ελένη,");
    expect(roomy.value.encoding).toBe("UCS-2");
    expect(tight.value.text).toContain("Hi Eleni,");
    expect(tight.value.encoding).toBe("GSM-7");
    expect(spelled.value.text).toContain("Hi Eleni,");
  });
});
