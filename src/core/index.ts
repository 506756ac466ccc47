export * from "./hash.ts";
export * from "./problem.ts";
export type { World } from "./world.ts";
export { YamlLocator, parseYaml, schemaProblem } from "./yaml-location.ts";
