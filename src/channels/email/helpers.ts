import type { HandlebarsEnv } from "../../templates/index.ts";
import { labelOf } from "../../view/index.ts";

/** Schemes a link or image in the email may use; anything else becomes a dead link. */
const SAFE_URL = /^(https?:|mailto:|cid:|data:image\/(png|jpeg|gif);base64,)/i;

/**
 * Helpers of the per-customer merge:
 * - `{{label "key" name=value}}` fills a label's `{name}` placeholders from the view's labels.
 * - `{{url x}}` prints a URL for an href/src: attribute-safe without Handlebars' `=` escaping, and only
 *   with a scheme an email may carry.
 */
export function registerEmailHelpers(hb: HandlebarsEnv): void {
  hb.registerHelper("label", (key: string, options: Handlebars.HelperOptions) => {
    const labels = (options.data.root as { labels: Record<string, string> }).labels;
    return labelOf(labels, key, options.hash as Record<string, string | number>);
  });
  hb.registerHelper("url", (value: unknown) => {
    const url = String(value ?? "");
    const safe = SAFE_URL.test(url) ? url : "about:blank";
    return new hb.SafeString(
      safe.replace(/&/g, "&amp;").replace(/"/g, "%22").replace(/</g, "%3C").replace(/>/g, "%3E"),
    );
  });
}
