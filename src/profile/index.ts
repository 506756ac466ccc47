export { type CsvHeader, compileCsvHeader, csvRowToRecord, parseProfileCsvRow } from "./csv.ts";
export { parseProfileLine, recordId } from "./parse.ts";
export { CURRENCIES, LANGUAGES, LIMITS, LOCALES, profileSchema } from "./schema.ts";
export type { Channel, Charge, Language, Profile, Segment } from "./types.ts";
export { validateProfile } from "./validate.ts";
