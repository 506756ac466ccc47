export * from "./hash.ts";
export * from "./problem.ts";
export type { SecretName, World } from "./world.ts";
export { YamlLocator, parseYaml, schemaProblem } from "./yaml-location.ts";
export { type DeflateSettings, Deflater } from "./deflater.ts";
export { type CachePart, type RenderCaches, cachePart, createRenderCaches } from "./render-caches.ts";
export { languageOf } from "./country.ts";
export { isTimeZone } from "./time-zone.ts";
export { pointerUnder, recordsOfBody } from "./body.ts";
export {
  KEY_ID,
  KEY_ID_RULE,
  MIN_SECRET_LENGTH,
  SECRET_VARIABLES,
  type SigningKey,
  type SigningKeys,
  makeKeyHint,
  parseSigningKeys,
  signingKeysOf,
} from "./signing-keys.ts";
