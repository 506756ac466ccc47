/** Releases: what a new version of a template does against the released one, to decisions and to documents. */
export { type DiffOptions, type DiffSample, type DocumentDiffs, diffDocuments } from "./diff.ts";
export { type ImpactOptions, type ImpactRecord, decisionImpact } from "./impact.ts";
export type * from "./types.ts";
export { engineOfFolder } from "./against.ts";
