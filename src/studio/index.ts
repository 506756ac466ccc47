export { type StudioOptions, studioPlugin } from "./plugin.ts";
export { type StudioSetup, prepareStudio } from "./studio.ts";
export type { EngineState, LiveEngine } from "./workspace.ts";
