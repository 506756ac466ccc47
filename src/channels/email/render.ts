import { toPng, usageChartSpec } from "../../assets/chart/index.ts";
import { type Result, fail, ok, problem, sha256Hex } from "../../core/index.ts";
import { type ChannelItem, labelOf, offersIn, type View } from "../../view/index.ts";
import type { EmailOutput, RenderContext } from "../channel.ts";
import type { CompiledEmail } from "./compile.ts";
import { buildEml, type InlineImage } from "./mime.ts";
import { htmlToText } from "./text-part.ts";

/** The chart's box in the 600 px email: the content column less its side padding. */
export const CHART_SIZE = { width: 552, height: 260 };
/** Chart text in CSS px at full width: still ~9 px when a 375 px phone shrinks the image. */
const CHART_FONT_SIZE = 15;

/** The item with its email words; strict Handlebars throws on a missing key, so optional fields get false. */
const mergeable = (item: ChannelItem) => ({ ...item, ...item.email, cta: item.cta ?? false });

/** Collapses the template's line breaks and indentation; no-break spaces in amounts and dates stay. */
const oneLine = (s: string) => s.replace(/[ \t\r\n]+/g, " ").trim();

async function chartImage(compiled: CompiledEmail, view: View, cid: string): Promise<InlineImage> {
  const spec = usageChartSpec(
    view.usage,
    compiled.theme,
    {
      locale: view.locale,
      usage: labelOf(view.labels, "usageLegend", { unit: view.usage.unit }),
      peerAverage: labelOf(view.labels, "usagePeerLegend"),
    },
    { fontSize: CHART_FONT_SIZE },
  );
  const content = await toPng(spec, { ...CHART_SIZE, scale: 2 }, compiled.caches);
  return { cid, filename: "usage.png", contentType: "image/png", content };
}

/**
 * One customer's email. `ctx.options.emailChart === false` leaves the chart image out (its text summary
 * stays): previews and benchmarks that do not need the ~15–35 ms PNG.
 */
export async function renderEmail(
  compiled: CompiledEmail,
  view: View,
  ctx: RenderContext,
): Promise<Result<EmailOutput>> {
  const address = view.customer.email;
  if (!address) return fail(problem("OMD_EMAIL_NO_ADDRESS", `customer ${view.customer.id} has no email address`));
  const template = compiled.html.get(view.language);
  if (!template)
    return fail(problem("OMD_TEMPLATE_LANGUAGE_MISSING", `the email has no ${view.language} version`, compiled.at));

  const { hero, secondary, notices } = offersIn("email", view);
  const marketing = [hero, ...secondary, ...notices].some((i) => i?.marketing);
  const key = sha256Hex(`${compiled.templateId}\n${view.customer.id}\n${view.runDate}`).slice(0, 20);
  const cid = `usage-${key}@${compiled.domain}`;
  const chart = ctx.options?.emailChart === false ? undefined : await chartImage(compiled, view, cid);

  const context = {
    ...view,
    brand: compiled.theme.brand,
    offers: {
      hero: hero ? mergeable(hero) : false,
      secondary: secondary.map(mergeable),
      notices: notices.map(mergeable),
    },
    email: {
      chart: chart
        ? { src: `cid:${cid}`, alt: labelOf(view.labels, "usageChartAlt", { summary: view.usage.summary }) }
        : false,
      marketing,
    },
  };
  let mailHtml: string;
  let subject: string;
  let preheader: string;
  try {
    mailHtml = template(context);
    subject = oneLine(compiled.subject(context));
    preheader = oneLine(compiled.preheader(context));
  } catch (e) {
    return fail(problem("OMD_TEMPLATE_RENDER", (e as Error).message, compiled.at));
  }
  const text = htmlToText(mailHtml);
  const eml = await buildEml({
    from: compiled.from,
    to: { name: view.customer.fullName, address },
    subject,
    html: mailHtml,
    text,
    images: chart ? [chart] : [],
    messageId: { left: view.runDate, domain: compiled.domain },
    date: new Date(`${view.runDate}T06:00:00Z`),
    ...(marketing ? { unsubscribe: view.links.unsubscribe } : {}),
  });
  if (!eml.ok) return eml;
  // The .html stands alone (opened from disk or a preview): the chart travels inside it as a data URI.
  const html = chart
    ? mailHtml.replaceAll(`cid:${cid}`, `data:image/png;base64,${Buffer.from(chart.content).toString("base64")}`)
    : mailHtml;
  return ok({ to: address, subject, preheader, html, text, eml: eml.value, marketing });
}
