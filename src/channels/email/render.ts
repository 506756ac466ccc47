import { type Result, fail, ok, problem, sha256Hex } from "../../core/index.ts";
import { type ChannelItem, labelOf, offersIn, type View } from "../../view/index.ts";
import type { EmailOutput, RenderContext } from "../channel.ts";
import { type EmailChartMode, emailChartOf, emailChartPng, emailChartText, hostedChartUrl } from "./chart.ts";
import type { CompiledEmail } from "./compile.ts";
import { buildEml, type InlineImage } from "./mime.ts";
import { htmlToText } from "./text-part.ts";

/** The item with its email words; strict Handlebars throws on a missing key, so optional fields get false. */
const mergeable = (item: ChannelItem) => ({ ...item, ...item.email, cta: item.cta ?? false });

/** The bytes in base64, read where they are (`Buffer.from` of a Uint8Array would copy them first). */
const base64Of = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");

/** Collapses the template's line breaks and indentation; no-break spaces in amounts and dates stay. */
const oneLine = (s: string) => s.replace(/[ \t\r\n]+/g, " ").trim();

/** The chart as the email shows it: `src` a `cid:` of the image carried in the message, or a hosted one's URL. */
interface ChartPart {
  src: string;
  alt: string;
  image?: InlineImage;
}

/** The template's choice of chart, unless the caller asks for another (`emailChart`: false, "embedded", "hosted"). */
function chartMode(compiled: CompiledEmail, ctx: RenderContext): EmailChartMode | false {
  const asked = ctx.options?.emailChart;
  return asked === false || asked === "embedded" || asked === "hosted" ? asked : compiled.chart;
}

async function chartPart(
  compiled: CompiledEmail,
  view: View,
  ctx: RenderContext,
  mode: EmailChartMode,
): Promise<Result<ChartPart>> {
  const chart = emailChartOf(view);
  const alt = labelOf(view.labels, "usageChartAlt", { summary: view.usage.summary });
  if (mode === "hosted") {
    if (!ctx.chartHost)
      return fail(
        problem(
          "OMD_EMAIL_CHART_HOST_MISSING",
          "the email's chart is hosted, but no chart address and signing key were given to render it with",
          compiled.at,
          "compose through an Engine (it has both), or render with the chart embedded",
        ),
      );
    // The image may be blocked: its text says the numbers the bars show.
    return ok({
      src: hostedChartUrl(chart, view.runDate, ctx.chartHost),
      alt: `${alt} ${emailChartText(chart, compiled.theme)}`,
    });
  }
  const key = sha256Hex(`${compiled.templateId}\n${view.customer.id}\n${view.runDate}`).slice(0, 20);
  const cid = `usage-${key}@${compiled.domain}`;
  const content = await emailChartPng(chart, compiled.theme, compiled.caches);
  return ok({ image: { cid, filename: "usage.png", contentType: "image/png", content }, src: `cid:${cid}`, alt });
}

/**
 * One customer's email. The chart is embedded or hosted as the template says (`channels.email.chart`);
 * `ctx.options.emailChart === false` leaves it out (its text summary stays): previews that need no image.
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
  const mode = chartMode(compiled, ctx);
  const part = mode === false ? undefined : await chartPart(compiled, view, ctx, mode);
  if (part && !part.ok) return part;
  const chart = part?.value;

  const context = {
    ...view,
    brand: compiled.theme.brand,
    offers: {
      hero: hero ? mergeable(hero) : false,
      secondary: secondary.map(mergeable),
      notices: notices.map(mergeable),
    },
    email: {
      chart: chart ? { src: chart.src, alt: chart.alt } : false,
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
  const eml = buildEml({
    from: compiled.from,
    to: { name: view.customer.fullName, address },
    subject,
    html: mailHtml,
    text,
    images: chart?.image ? [chart.image] : [],
    messageId: { left: view.runDate, domain: compiled.domain },
    date: new Date(`${view.runDate}T06:00:00Z`),
    ...(marketing ? { unsubscribe: view.links.unsubscribe } : {}),
  });
  if (!eml.ok) return eml;
  // The .html stands alone (opened from disk or a preview): the chart travels inside it as a data URI.
  const html = chart?.image
    ? mailHtml.replaceAll(chart.src, `data:image/png;base64,${base64Of(chart.image.content)}`)
    : mailHtml;
  return ok({ to: address, subject, preheader, html, text, eml: eml.value, marketing });
}
