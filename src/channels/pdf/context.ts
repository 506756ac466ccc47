import type { HelperOptions } from "handlebars";
import type { HandlebarsEnv, Theme } from "../../templates/index.ts";
import { type ChannelItem, type View, fillLabel, offersIn } from "../../view/index.ts";

/** The item with the words it has for paper. */
const printed = (item: ChannelItem): ChannelItem => ({ ...item, ...item.print });

/**
 * What a PDF template sees: the view, with only the items that may appear on paper, plus the theme
 * (`theme.brand.name`, `theme.colours.primary`).
 */
export function printContext(view: View, theme: Theme): Record<string, unknown> {
  const { hero, secondary, notices } = offersIn("pdf", view);
  return {
    ...view,
    offers: {
      hero: hero ? printed(hero) : null,
      secondary: secondary.map(printed),
      notices: notices.map(printed),
    },
    theme,
  };
}

/**
 * `{{label "key" name=value}}`: the label in the customer's language with its `{name}` placeholders filled,
 * escaped like any other value.
 */
export function registerPdfHelpers(hb: HandlebarsEnv): void {
  hb.registerHelper("label", (key: string, options: HelperOptions) => {
    const labels = (options.data.root as { labels: Record<string, string> }).labels;
    return fillLabel(labels[key] ?? key, options.hash);
  });
}
