export { parseKannelDlr } from "./dlr.ts";
export { type KannelOptions, kannelGateway } from "./kannel.ts";
export type * from "./types.ts";
