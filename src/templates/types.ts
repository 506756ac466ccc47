import type { Language } from "../profile/index.ts";
import type { Theme } from "./theme.ts";

export type ChannelName = "pdf" | "email" | "sms";

/**
 * A customer's name outside the GSM-7 alphabet in an SMS: `transliterate` spells it in GSM-7 (Δημήτρης →
 * Dimitris); `ucs2` keeps it as written when the text, in UCS-2, still fits the budget with every part the
 * spelled one keeps, and spells it otherwise.
 */
export type NonGsmNames = "transliterate" | "ucs2";

/** template.yaml: what a template package declares about itself. */
export interface TemplateManifest {
  id: string;
  version: string;
  name: string;
  description?: string;
  languages: Language[];
  /**
   * Who the document is for, in the catalogue's expression language: one rule, or conditions that must all
   * hold, each with the words said when a customer misses it. Absent: every customer.
   */
  audience?: string | { rule: string; skip?: string }[];
  /** Channels this template renders, each with its entry file inside the package (see schema.ts). */
  channels: {
    pdf?: { file: string };
    /**
     * The sender, else the brand name at `statements@` the website's domain; `chart`: the usage chart inside each
     * message (`embedded`, the default) or drawn when it is opened (`hosted`).
     */
    email?: { file: string; fromName?: string; fromAddress?: string; chart?: "embedded" | "hosted" };
    /**
     * `budget`: most segments one text may take; `sender`: the name printed in the text, else the brand's;
     * `nonGsm`: what a name GSM-7 cannot carry becomes (see NON_GSM_NAMES in schema.ts).
     */
    sms?: { file: string; budget?: number; sender?: string; nonGsm?: NonGsmNames };
  };
}

/** A template package read from disk, not yet compiled: every text file by its path inside the package. */
export interface TemplatePackage {
  manifest: TemplateManifest;
  /** Directory the package was read from, for locations in problems (`templates/energy-bill/sms.hbs:3:7`). */
  dir: string;
  /** `statement.hbs`, `partials/offer-card.hbs`, … → text */
  files: Record<string, string>;
  /** Labels per language, from `locales/<lang>.yaml`. */
  locales: Record<string, Record<string, string>>;
  theme: Theme;
}
