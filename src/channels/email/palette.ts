import { type Problem, problem } from "../../core/index.ts";
import type { Theme } from "../../templates/index.ts";
import { contrastRatio, mix } from "./contrast.ts";

/**
 * The email's colours by role, light and dark, derived from the brand theme. Templates colour the email with
 * `{{palette.*}}` only, so every foreground/background pair the email shows is one listed in
 * `PALETTE_PAIRS` and checked against WCAG AA when the template compiles.
 */
export interface EmailPalette {
  page: string;
  card: string;
  text: string;
  muted: string;
  link: string;
  brandBand: string;
  onBrand: string;
  button: string;
  onButton: string;
  box: string;
  balance: string;
  arrears: string;
  credit: string;
  highlight: string;
  border: string;
  dark: {
    page: string;
    card: string;
    text: string;
    muted: string;
    link: string;
    button: string;
    onButton: string;
    box: string;
    balance: string;
    arrears: string;
    credit: string;
  };
}

const WHITE = "#FFFFFF";
const BLACK = "#000000";

export function emailPalette(theme: Theme): EmailPalette {
  const c = theme.colours;
  const darkCard = c.text;
  return {
    page: c.surface,
    card: c.background,
    text: c.text,
    muted: c.muted,
    link: c.primary,
    brandBand: c.primary,
    onBrand: WHITE,
    button: c.primary,
    onButton: WHITE,
    box: c.surface,
    balance: c.primary,
    arrears: c.negative,
    credit: c.positive,
    highlight: c.accent,
    border: c.border,
    dark: {
      page: mix(c.text, BLACK, 0.45),
      card: darkCard,
      text: c.surface,
      muted: c.border,
      link: c.secondary,
      button: c.secondary,
      onButton: mix(c.text, BLACK, 0.45),
      box: mix(c.primary, BLACK, 0.35),
      balance: WHITE,
      arrears: mix(c.negative, WHITE, 0.6),
      credit: mix(c.positive, WHITE, 0.6),
    },
  };
}

type Role = Exclude<keyof EmailPalette, "dark">;
type DarkRole = keyof EmailPalette["dark"];

/** Every text-on-background pair the email template uses, light and dark, with the AA minimum it needs. */
export const PALETTE_PAIRS: readonly { fg: Role; bg: Role; min: number }[] = [
  { fg: "text", bg: "card", min: 4.5 },
  { fg: "muted", bg: "card", min: 4.5 },
  { fg: "link", bg: "card", min: 4.5 },
  { fg: "text", bg: "page", min: 4.5 },
  { fg: "muted", bg: "page", min: 4.5 },
  { fg: "link", bg: "page", min: 4.5 },
  { fg: "onBrand", bg: "brandBand", min: 4.5 },
  { fg: "onButton", bg: "button", min: 4.5 },
  { fg: "text", bg: "box", min: 4.5 },
  { fg: "balance", bg: "box", min: 4.5 },
  { fg: "arrears", bg: "box", min: 4.5 },
  { fg: "credit", bg: "box", min: 4.5 },
];
export const DARK_PALETTE_PAIRS: readonly { fg: DarkRole; bg: DarkRole; min: number }[] = [
  { fg: "text", bg: "card", min: 4.5 },
  { fg: "muted", bg: "card", min: 4.5 },
  { fg: "link", bg: "card", min: 4.5 },
  { fg: "text", bg: "page", min: 4.5 },
  { fg: "muted", bg: "page", min: 4.5 },
  { fg: "link", bg: "page", min: 4.5 },
  { fg: "onButton", bg: "button", min: 4.5 },
  { fg: "text", bg: "box", min: 4.5 },
  { fg: "balance", bg: "box", min: 4.5 },
  { fg: "arrears", bg: "box", min: 4.5 },
  { fg: "credit", bg: "box", min: 4.5 },
];

/** Problems for colour pairs below their AA minimum (the theme's schema holds colours to `#RRGGBB`). */
export function checkPalette(theme: Theme, at: string): Problem[] {
  const p = emailPalette(theme);
  const check = (
    mode: string,
    colours: Record<string, string>,
    pairs: readonly { fg: string; bg: string; min: number }[],
  ) =>
    pairs.flatMap(({ fg, bg, min }) => {
      const ratio = contrastRatio(colours[fg], colours[bg]);
      return ratio >= min
        ? []
        : [
            problem(
              "OMD_EMAIL_CONTRAST",
              `${mode} email: ${fg} ${colours[fg]} on ${bg} ${colours[bg]} has contrast ${ratio.toFixed(2)}:1, below WCAG AA ${min}:1`,
              at,
              "darken or lighten the theme colour behind that role",
            ),
          ];
    });
  return [
    ...check("light", p as unknown as Record<string, string>, PALETTE_PAIRS),
    ...check("dark", p.dark, DARK_PALETTE_PAIRS),
  ];
}
