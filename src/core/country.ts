/** The language most written in a country (CLDR likely subtags): `GB` → `en`, `FR` → `fr`, `CH` → `de`. */
export const languageOf = (country: string): string => new Intl.Locale("und", { region: country }).maximize().language;
