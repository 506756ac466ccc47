export { type CsvHeader, compileCsvHeader, csvRowToRecord, parseProfileCsvRow } from "./csv.ts";
export { parseProfileLine, recordId } from "./parse.ts";
export { PLAIN_TEXT_PATTERN } from "./plain-text.ts";
export { CURRENCIES, CUSTOMER_ID_PATTERN, LANGUAGES, LIMITS, LOCALES, profileSchema } from "./schema.ts";
export type { Channel, Charge, Language, Profile, Segment } from "./types.ts";
export { describeSchemaError, schemaErrorPointer, validateProfile } from "./validate.ts";
