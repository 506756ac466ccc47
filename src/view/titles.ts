import type { Language } from "../profile/index.ts";

/**
 * Courtesy titles by language. A book holds the title as it was captured (`Mr` on an English sign-up form,
 * `M.` or `Herr` on another market's), while letters go out in the customer's language: `Bonjour Mr Dupont`
 * and `Guten Tag Mx Weber` are what a title copied as it is gives. So a title is read as what it means, in
 * any of the languages below, and written in the customer's language; where that language has no form for
 * it (Mx in French and German, where the neutral greeting is the name alone) it is left out.
 */
type Title = "mr" | "mrs" | "ms" | "miss" | "mx" | "dr" | "prof";

/** How each language writes a title; a missing entry is a title the language has no form for. */
const WRITTEN: Record<Language, Partial<Record<Title, string>>> = {
  en: { mr: "Mr", mrs: "Mrs", ms: "Ms", miss: "Miss", mx: "Mx", dr: "Dr", prof: "Prof" },
  // Madame for every woman: French administration dropped Mademoiselle in 2012.
  fr: { mr: "M.", mrs: "Mme", ms: "Mme", miss: "Mme", dr: "Dr", prof: "Pr" },
  de: { mr: "Herr", mrs: "Frau", ms: "Frau", miss: "Frau", dr: "Dr.", prof: "Prof." },
};

/** Titles as books write them, in any of the languages, without case or final dot. */
const READ: Record<string, Title> = {
  mr: "mr",
  mister: "mr",
  m: "mr",
  monsieur: "mr",
  herr: "mr",
  mrs: "mrs",
  ms: "ms",
  mme: "ms",
  madame: "ms",
  frau: "ms",
  miss: "miss",
  mlle: "miss",
  mademoiselle: "miss",
  mx: "mx",
  dr: "dr",
  doctor: "dr",
  docteur: "dr",
  prof: "prof",
  pr: "prof",
  professor: "prof",
  professeur: "prof",
};

/**
 * The title as the customer's language writes it: `""` when the language has no form for it. A title none of
 * the languages knows (`Rev`, `Sir`) is the customer's own choice and stays as it is.
 */
export function localTitle(title: string | undefined, language: Language): string {
  const given = title?.trim() ?? "";
  if (given === "") return "";
  const meaning = READ[given.toLowerCase().replace(/\.$/, "")];
  return meaning ? (WRITTEN[language][meaning] ?? "") : given;
}
