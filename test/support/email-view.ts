import type { ChosenItem } from "../../src/decide/types.ts";
import type { Profile } from "../../src/profile/index.ts";
import type { View } from "../../src/view/index.ts";
import { makeItem, makeProfile, viewOf } from "../view/fixtures.ts";

/** A hero offer, a secondary offer and a regulatory notice, all allowed by email. */
export const emailItems = (): ChosenItem[] => [
  makeItem({ id: "smart-meter", slot: "hero" }),
  makeItem({
    id: "green-tariff",
    slot: "secondary",
    copy: {
      headline: "Switch to 100% green",
      body: "Our renewable tariff costs the same as yours.",
      cta: { label: "See the tariff", url: "https://www.northwind-energy.example/green" },
    },
  }),
  makeItem({
    id: "price-change",
    slot: "notice",
    kind: "regulatory",
    marketing: false,
    copy: { headline: "Your prices change on 1 January", body: "The standing charge rises by 2p a day." },
  }),
];

const LOCALES = { en: ["en-GB", "GBP"], fr: ["fr-FR", "EUR"], de: ["de-DE", "EUR"] } as const;

/** A view in one of the template's languages, with profile changes and items to choose. */
export function emailView(
  language: keyof typeof LOCALES = "en",
  over: Partial<Profile> = {},
  items: ChosenItem[] = emailItems(),
): View {
  const [locale, currency] = LOCALES[language];
  return viewOf(makeProfile({ language, locale, currency, ...over }), items);
}
