export * from "./hash.ts";
export * from "./problem.ts";
export type { World } from "./world.ts";
export { YamlLocator, parseYaml, schemaProblem } from "./yaml-location.ts";
export { type CachePart, type RenderCaches, cachePart, createRenderCaches } from "./render-caches.ts";
export { languageOf } from "./country.ts";
