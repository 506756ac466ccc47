import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChartHost, emailChartPng, readHostedChart } from "../../src/channels/email/index.ts";
import { hostedChartUrl } from "../../src/channels/email/chart.ts";
import { compose } from "../../src/compose.ts";
import { createRenderCaches } from "../../src/core/index.ts";
import { type Engine, buildEngine } from "../../src/engine.ts";
import { nodeWorld } from "../../src/node-world.ts";
import { validateProfile } from "../../src/profile/index.ts";
import { signingKeys } from "../support/signing-keys.ts";
import { ROOT, type Running, sampleProfile, startServer } from "./support.ts";

const RUN_DATE = "2026-11-01";
/** The `src` of the email's one image. */
const imageSrc = (html: string) => /<img[^>]*src="([^"]+)"/.exec(html)?.[1] ?? "";

describe("GET /c/{token}.png: an email's hosted chart", () => {
  const clock = { now: new Date("2026-11-04T09:00:00.000Z") };
  let s: Running;
  let engine: Engine;
  let hosted: string;
  let embedded: Buffer;
  beforeAll(async () => {
    s = await startServer({ captureLogs: "debug", now: () => clock.now });
    const built = await buildEngine(nodeWorld(ROOT));
    if (!built.ok) throw new Error(JSON.stringify(built.problems));
    engine = built.value;
    const profile = validateProfile(sampleProfile(3));
    if (!profile.ok) throw new Error(JSON.stringify(profile.problems));
    const emailOf = async (emailChart: string) => {
      const c = await compose(engine, profile.value, {
        template: "energy-bill",
        channels: ["email"],
        runDate: RUN_DATE,
        channelOptions: { emailChart },
      });
      if (!c.ok || !c.value.email) throw new Error(JSON.stringify(c.ok ? c.value.problems : c.problems));
      return c.value.email;
    };
    hosted = imageSrc((await emailOf("hosted")).html);
    const dataUri = imageSrc((await emailOf("embedded")).html);
    embedded = Buffer.from(dataUri.slice("data:image/png;base64,".length), "base64");
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  /** As a mail client or an image proxy asks: no API key, no cookie. */
  const open = (path: string) => fetch(`${s.base}${path}`);
  const pathOf = (url: string) => url.slice(engine.links.chartBase.length - "/c".length);
  const drawn = () => s.logs.filter((l) => l.includes("drawing a hosted chart")).length;

  it("answers the very PNG the embedded chart is, cacheable for good, and draws it once", async () => {
    expect(hosted.startsWith(`${engine.links.chartBase}/`)).toBe(true);
    const first = await open(pathOf(hosted));
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("image/png");
    expect(first.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(Buffer.from(await first.arrayBuffer()).equals(embedded)).toBe(true);
    expect(drawn()).toBe(1);
    // Opened again (another device, a forward): from the cache, the same bytes, nothing drawn.
    const again = await open(pathOf(hosted));
    expect(Buffer.from(await again.arrayBuffer()).equals(embedded)).toBe(true);
    expect(drawn()).toBe(1);
  });

  it("draws nothing for a tampered, forged or expired token, and says only 404", async () => {
    const before = drawn();
    const path = pathOf(hosted);
    const [payload, kid, tag] = path.slice("/c/".length, -".png".length).split(".");
    const chart = readHostedChart(`${payload}.${kid}.${tag}.png`, engine.keys.tracking, RUN_DATE);
    if (!chart.ok) throw new Error("the email's own chart URL does not read");
    // Bigger bars, signed by a key the server does not hold.
    const more = { ...chart.value, usage: { ...chart.value.usage, peerAverage: 9999 } };
    const forger: ChartHost = { base: engine.links.chartBase, key: signingKeys(`test:${"f".repeat(40)}`).signing };
    const bad = [
      `/c/${payload.slice(0, -2)}AA.${kid}.${tag}.png`,
      `/c/${payload}.${kid}.${tag.slice(0, -2)}AA.png`,
      `/c/${payload}.${kid}.${tag}`,
      `/c/${payload}.png`,
      pathOf(hostedChartUrl(more, RUN_DATE, forger)),
      // Signed with the right key, for a run 400 days and more before the server's clock.
      pathOf(hostedChartUrl(chart.value, "2025-09-29", { ...forger, key: engine.keys.tracking.signing })),
    ];
    for (const p of bad) {
      const r = await open(p);
      expect([r.status, r.headers.get("content-type"), r.headers.get("cache-control")], p).toEqual([
        404,
        "text/plain",
        "no-store",
      ]);
    }
    expect(drawn()).toBe(before);
    const lines = s.logs.map((l) => JSON.parse(l)).filter((l) => l.route === "/c/:file" && l.status === 404);
    expect(lines.flatMap((l) => l.problems)).toEqual(expect.arrayContaining(["OMD_LINK_TAMPERED", "OMD_LINK_EXPIRED"]));
    // The same chart signed with the server's key draws what it says, on the day before it expires.
    const lastDay = hostedChartUrl(chart.value, "2025-09-30", { ...forger, key: engine.keys.tracking.signing });
    expect((await open(pathOf(lastDay))).status).toBe(200);
    expect(drawn()).toBe(before + 1);
    // And the embedded one of the same data is the same picture.
    const png = await emailChartPng(chart.value, engine.theme, createRenderCaches());
    expect(Buffer.from(png).equals(embedded)).toBe(true);
  });
});
