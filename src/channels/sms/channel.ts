import { type Problem, type Result, fail, ok, problem } from "../../core/index.ts";
import type { View, ViewItem } from "../../view/index.ts";
import type { ChannelRenderer, SmsOutput } from "../channel.ts";
import { fitToBudget, type SmsPart } from "./budget.ts";
import { normaliseForSms } from "./gsm7.ts";
import { type SmsTemplate, compileSmsTemplate } from "./template.ts";

export const DEFAULT_SMS_BUDGET = 2;
const OPT_OUT_LABEL = "smsStop";

export interface CompiledSms {
  template: SmsTemplate;
  budget: number;
  /** Sender name printed in the text (`brand` in the template): the manifest's `sender`, else the theme's brand. */
  brand: string;
  at: string;
}

/** Items that may go by SMS: the catalogue allows the channel, they have SMS copy, and consent covers them. */
function bySms(item: ViewItem | undefined, view: View): item is ViewItem {
  return !!item && item.channels.includes("sms") && !!item.sms && (!item.marketing || view.customer.marketingConsent);
}

const clean = (text: string) => normaliseForSms(text).replace(/\s+/g, " ").trim();

export const smsChannel: ChannelRenderer<CompiledSms, SmsOutput> = {
  name: "sms",

  async compile(pkg) {
    const spec = pkg.manifest.channels.sms;
    const where = `${pkg.dir}/template.yaml`;
    if (!spec) return fail(problem("OMD_CHANNEL_UNKNOWN", `template ${pkg.manifest.id} has no sms channel`, where));
    // The manifest's schema holds the budget to whole segments from 1 to MAX_SMS_BUDGET.
    const budget = spec.budget ?? DEFAULT_SMS_BUDGET;
    const problems: Problem[] = [];
    for (const lang of pkg.manifest.languages) {
      if (!pkg.locales[lang]?.[OPT_OUT_LABEL]) {
        problems.push(
          problem(
            "OMD_TEMPLATE_MISSING_TRANSLATION",
            `label ${OPT_OUT_LABEL} (the SMS opt-out) has no ${lang} text`,
            `${pkg.dir}/locales/${lang}.yaml`,
          ),
        );
      }
    }
    const template = compileSmsTemplate(pkg, spec.file);
    if (!template.ok) problems.push(...template.problems);
    if (problems.length > 0 || !template.ok) return fail(...problems);
    const brand = spec.sender ?? pkg.theme.brand.name;
    return ok({ template: template.value, budget, brand, at: `${pkg.dir}/${spec.file}` });
  },

  async render(compiled, view, ctx): Promise<Result<SmsOutput>> {
    const to = view.customer.mobile;
    if (!to) return fail(problem("OMD_SMS_NO_MOBILE", `customer ${view.customer.id} has no mobile number`));
    const hero = bySms(view.offers.hero, view) ? view.offers.hero : null;
    const secondary = view.offers.secondary.filter((i) => bySms(i, view));
    const notices = view.offers.notices.filter((i) => bySms(i, view));
    let raw: ReturnType<SmsTemplate>;
    try {
      raw = compiled.template({ ...view, brand: compiled.brand, sms: { hero, secondary, notices } });
    } catch (e) {
      return fail(problem("OMD_TEMPLATE_RENDER", (e as Error).message, compiled.at));
    }
    const parts: SmsPart[] = raw.map((p) => ({ ...p, text: clean(p.text) })).filter((p) => p.text !== "");
    const optOut = clean(view.labels[OPT_OUT_LABEL] ?? "Reply STOP to opt out");
    const fitted = fitToBudget(parts, compiled.budget, optOut);
    if (!fitted.fits) {
      return fail(
        problem(
          "OMD_SMS_OVER_BUDGET",
          `customer ${view.customer.id}: the required parts (${fitted.kept.join(", ")}) take ${fitted.count.segments} ${fitted.count.encoding} segments, over the budget of ${compiled.budget}`,
          compiled.at,
          "shorten the required parts' labels or raise the template's sms budget",
        ),
      );
    }
    for (const name of fitted.dropped) {
      ctx.warnings.warn(
        problem(
          "OMD_SMS_PART_DROPPED",
          `customer ${view.customer.id}: SMS part "${name}" dropped to meet the budget of ${compiled.budget}`,
          compiled.at,
        ),
      );
    }
    return ok({
      to,
      text: fitted.text,
      encoding: fitted.count.encoding,
      segments: fitted.count.segments,
      parts: fitted.kept,
    });
  },
};
