import type { THEME_COLOURS } from "./schema.ts";

/** The brand theme: one file that the PDF and email channels both style from. */
export interface Theme {
  brand: { name: string; legalName: string; address: string; website: string; supportPhone: string; logoText?: string };
  /**
   * Where the mail is posted from: letters to this country are domestic (no country line), and the country
   * of a letter abroad is named in this language. `language` defaults to the country's most written one.
   */
  sender: { country: string; language: string };
  /** The roles every channel styles from, each `#RRGGBB`, and any colours of the theme's own. */
  colours: Record<(typeof THEME_COLOURS)[number], string> & Record<string, string>;
  fonts: {
    /** Font files for the PDF, project-relative paths. */
    body: string;
    bold: string;
    italic?: string;
    boldItalic?: string;
    /** CSS font stack for email, with web-safe fallbacks. */
    emailStack: string;
  };
  sizes: { body: number; small: number; h1: number; h2: number; h3: number };
  spacing: { unit: number; paragraph: number; section: number };
}
