import { beforeAll, describe, expect, it } from "vitest";
import type { EmailOutput, RenderContext } from "../../../src/channels/channel.ts";
import {
  type ChartHost,
  type CompiledEmail,
  emailChannel,
  readHostedChart,
} from "../../../src/channels/email/index.ts";
import { nodeWorld } from "../../../src/node-world.ts";
import type { View } from "../../../src/view/index.ts";
import { energyBillPackage } from "../../support/email-package.ts";
import { emailView } from "../../support/email-view.ts";
import { TEST_KEYS, signingKeys } from "../../support/signing-keys.ts";

const BASE = "https://go.northwind-energy.example/c";
const HOST: ChartHost = { base: BASE, key: TEST_KEYS.tracking.signing };
const HOSTED: RenderContext = { warnings: { warn: () => {} }, options: { emailChart: "hosted" }, chartHost: HOST };

let compiled: CompiledEmail;
beforeAll(async () => {
  const r = await emailChannel.compile(energyBillPackage(), nodeWorld());
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  compiled = r.value;
});

async function render(view: View, ctx: RenderContext, email = compiled): Promise<EmailOutput> {
  const r = await emailChannel.render(email, view, ctx);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value;
}

const imgOf = (html: string) => {
  const img = /<img[^>]*src="([^"]+)"[^>]*>/.exec(html);
  return { src: img?.[1] ?? "", alt: /alt="([^"]*)"/.exec(img?.[0] ?? "")?.[1] ?? "" };
};
/** The last segment of a hosted chart's URL, as the route gets it. */
const fileOf = (src: string) => src.slice(BASE.length + 1);

describe("an email whose chart is hosted", () => {
  it("shows the chart from a signed URL under the chart address and carries no image in the message", async () => {
    const e = await render(emailView("fr"), HOSTED);
    const { src } = imgOf(e.html);
    expect(src).toMatch(/^https:\/\/go\.northwind-energy\.example\/c\/[A-Za-z0-9~-]+\.test\.[A-Za-z0-9_-]{22}\.png$/);
    expect(src.length).toBeLessThan(600);
    // No `omd_` run in it that the server would refuse as a leaked API key: the payload's alphabet has no `_`.
    expect(src.slice(0, src.indexOf(".test."))).not.toContain("_");
    const eml = Buffer.from(e.eml).toString("utf8");
    expect(eml).not.toMatch(/Content-Type: image\/png/);
    expect(eml).not.toMatch(/multipart\/related/);
    expect(e.html).not.toContain("data:image/png");
  });

  it("says in its alt text the numbers the bars show, as well as the billed month", async () => {
    const view = emailView("en");
    const { alt } = imgOf((await render(view, HOSTED)).html);
    const embedded = imgOf((await render(view, { warnings: { warn: () => {} } })).html).alt;
    expect(alt.startsWith(embedded)).toBe(true);
    // The chart's own summary: the range of the months, the peak and similar homes' average.
    expect(alt.slice(embedded.length)).toBe(" Your use (kWh) Nov–Oct: 400–500 kWh (max Sept); Similar homes: 460 kWh");
  });

  it("is the same URL for the same customer and run, and carries the chart's data back", async () => {
    const view = emailView("de");
    const a = imgOf((await render(view, HOSTED)).html).src;
    expect(imgOf((await render(view, HOSTED)).html).src).toBe(a);
    const chart = readHostedChart(fileOf(a), TEST_KEYS.tracking, view.runDate);
    expect(chart.ok && chart.value).toEqual({
      usage: {
        unit: view.usage.unit,
        peerAverage: view.usage.peerAverage,
        monthly: view.usage.monthly.map(({ label, value }) => ({ label, value })),
      },
      labels: { locale: "de-DE", usage: expect.stringContaining("kWh"), peerAverage: expect.any(String) },
    });
  });

  it("is what the template chooses with channels.email.chart, unless the caller asks for another", async () => {
    const pkg = energyBillPackage();
    const manifest = { ...pkg.manifest, channels: { ...pkg.manifest.channels, email: { file: "email.mjml" } } };
    const hosted = await emailChannel.compile(
      { ...pkg, manifest: { ...manifest, channels: { email: { ...manifest.channels.email, chart: "hosted" } } } },
      nodeWorld(),
    );
    if (!hosted.ok) throw new Error(JSON.stringify(hosted.problems));
    expect(compiled.chart).toBe("embedded");
    const ctx: RenderContext = { warnings: { warn: () => {} }, chartHost: HOST };
    expect(imgOf((await render(emailView("en"), ctx, hosted.value)).html).src).toMatch(/^https:\/\//);
    expect(imgOf((await render(emailView("en"), ctx)).html).src).toMatch(/^data:image\/png;base64,/);
    const embedded = { ...ctx, options: { emailChart: "embedded" } };
    expect(imgOf((await render(emailView("en"), embedded, hosted.value)).html).src).toMatch(/^data:image\/png/);
  });

  it("is refused, with what to do, when nothing says where charts are served", async () => {
    const r = await emailChannel.render(compiled, emailView("en"), { ...HOSTED, chartHost: undefined });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]).toMatchObject({ code: "OMD_EMAIL_CHART_HOST_MISSING", hint: /Engine/ });
  });
});

describe("reading a hosted chart's token", () => {
  let file: string;
  let runDate: string;
  beforeAll(async () => {
    const view = emailView("fr");
    runDate = view.runDate;
    file = fileOf(imgOf((await render(view, HOSTED)).html).src);
  });

  it("takes a token signed by any key of the ring, the rotated-out one included", () => {
    const rotated = signingKeys(`new:${"n".repeat(32)},test:tracking-key-of-the-test-suite-012345`);
    expect(readHostedChart(file, rotated, runDate).ok).toBe(true);
  });

  it("refuses a changed payload, a changed or missing signature, another key, another name", () => {
    const [payload, kid, tag] = file.slice(0, -4).split(".");
    const flip = (s: string) => (s[5] === "A" ? `${s.slice(0, 5)}B${s.slice(6)}` : `${s.slice(0, 5)}A${s.slice(6)}`);
    const forged = signingKeys(`test:${"f".repeat(40)}`);
    for (const [bad, keys] of [
      [`${flip(payload)}.${kid}.${tag}.png`, TEST_KEYS.tracking],
      [`${payload}.${kid}.${flip(tag)}.png`, TEST_KEYS.tracking],
      [`${payload}.other.${tag}.png`, TEST_KEYS.tracking],
      [`${payload}.png`, TEST_KEYS.tracking],
      [`${payload}.${kid}.${tag}.gif`, TEST_KEYS.tracking],
      [file, forged],
    ] as const) {
      const r = readHostedChart(bad, keys, runDate);
      expect(r.ok ? "drawn" : r.problems[0].code, bad).toBe("OMD_LINK_TAMPERED");
    }
  });

  it("draws until 400 days after the run date, and not a day more", () => {
    expect(readHostedChart(file, TEST_KEYS.tracking, "2027-12-06").ok).toBe(true);
    const r = readHostedChart(file, TEST_KEYS.tracking, "2027-12-07");
    expect(r.ok ? "drawn" : r.problems[0].code).toBe("OMD_LINK_EXPIRED");
  });
});
