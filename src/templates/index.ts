export { compileFile, createHandlebars, type HandlebarsEnv } from "./handlebars.ts";
export { loadTemplatePackage, loadTheme } from "./load.ts";
export { lintLabels } from "./lint.ts";
export { NON_GSM_NAMES } from "./schema.ts";
export type { Theme } from "./theme.ts";
export type { ChannelName, NonGsmNames, TemplateManifest, TemplatePackage } from "./types.ts";
