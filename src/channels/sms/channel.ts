import { type Problem, type Result, fail, ok, problem } from "../../core/index.ts";
import { NON_GSM_NAMES, type NonGsmNames } from "../../templates/index.ts";
import { type View, offerIdsIn, offersIn } from "../../view/index.ts";
import type { ChannelRenderer, SmsOutput } from "../channel.ts";
import { type FittedSms, fitToBudget, type SmsPart } from "./budget.ts";
import { normaliseForSms } from "./gsm7.ts";
import { gsmCustomer } from "./spelling.ts";
import { type SmsTemplate, compileSmsTemplate } from "./template.ts";

export const DEFAULT_SMS_BUDGET = 2;
const OPT_OUT_LABEL = "smsStop";

export interface CompiledSms {
  template: SmsTemplate;
  budget: number;
  nonGsm: NonGsmNames;
  /** Sender name printed in the text (`brand` in the template): the manifest's `sender`, else the theme's brand. */
  brand: string;
  at: string;
}

const clean = (text: string) => normaliseForSms(text).replace(/\s+/g, " ").trim();

/** The template's text for this view, fitted to the budget. */
function fitText(compiled: CompiledSms, view: View): Result<FittedSms> {
  const { hero, secondary, notices } = offersIn("sms", view);
  let raw: ReturnType<SmsTemplate>;
  try {
    raw = compiled.template({ ...view, brand: compiled.brand, sms: { hero: hero ?? null, secondary, notices } });
  } catch (e) {
    return fail(problem("OMD_TEMPLATE_RENDER", (e as Error).message, compiled.at));
  }
  const parts: SmsPart[] = raw.map((p) => ({ ...p, text: clean(p.text) })).filter((p) => p.text !== "");
  const optOut = clean(view.labels[OPT_OUT_LABEL] ?? "Reply STOP to opt out");
  return ok(fitToBudget(parts, compiled.budget, optOut));
}

/**
 * The text with the customer's name as the template's `nonGsm` setting has it: spelled in GSM-7, or with
 * `ucs2` as written where the UCS-2 text still fits and keeps every part the spelled one keeps.
 */
function fitWithName(compiled: CompiledSms, view: View): Result<FittedSms> {
  const spelled = gsmCustomer(view.customer);
  if (!spelled) return fitText(compiled, view);
  const gsm = fitText(compiled, { ...view, customer: spelled });
  if (compiled.nonGsm === "transliterate" || !gsm.ok) return gsm;
  const written = fitText(compiled, view);
  if (!written.ok) return written;
  const costsNothing = written.value.fits && gsm.value.kept.every((part) => written.value.kept.includes(part));
  return costsNothing ? written : gsm;
}

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
    return ok({
      template: template.value,
      budget,
      nonGsm: spec.nonGsm ?? NON_GSM_NAMES[0],
      brand,
      at: `${pkg.dir}/${spec.file}`,
    });
  },

  async render(compiled, view, ctx): Promise<Result<SmsOutput>> {
    const to = view.customer.mobile;
    if (!to) return fail(problem("OMD_SMS_NO_MOBILE", `customer ${view.customer.id} has no mobile number`));
    const text = fitWithName(compiled, view);
    if (!text.ok) return text;
    const fitted = text.value;
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
      // What the text really shows: an item whose every part the budget dropped went out in no SMS.
      offers: offerIdsIn("sms", view).filter((id) => fitted.items.has(id)),
    });
  },
};
