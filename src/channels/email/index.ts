/**
 * The email channel: MJML compiled once per template and language into a Handlebars skeleton, merged per
 * customer into HTML, a plain-text part and a complete MIME message.
 */
import type { ChannelRenderer, EmailOutput } from "../channel.ts";
import { type CompiledEmail, compileEmail } from "./compile.ts";
import { renderEmail } from "./render.ts";

export const emailChannel: ChannelRenderer<CompiledEmail, EmailOutput> = {
  name: "email",
  compile: compileEmail,
  render: renderEmail,
};

export { type CompiledEmail, PREHEADER_PARTIAL, SUBJECT_PARTIAL } from "./compile.ts";
export { contrastRatio } from "./contrast.ts";
export { type EmailPalette, emailPalette } from "./palette.ts";
export {
  CHART_SIZE,
  type ChartHost,
  type EmailChart,
  type EmailChartMode,
  readHostedChart,
  emailChartPng,
} from "./chart.ts";
