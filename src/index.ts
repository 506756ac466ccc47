/** omnidoc's public API: build an Engine once, compose many customers. */
export type { EmailOutput, PdfOutput, SmsOutput } from "./channels/channel.ts";
export { type Composition, type ComposeOptions, compose } from "./compose.ts";
export { type Problem, PROBLEM_CODES, type Result, formatProblem } from "./core/index.ts";
export { type RenderCaches, type World, createRenderCaches } from "./core/index.ts";
export { type CustomerHistory, type Decision, NO_HISTORY } from "./decide/index.ts";
export { type BuildOptions, buildEngine, type Engine, type EngineOptions } from "./engine.ts";
export { nodeWorld } from "./node-world.ts";
export { type Profile, parseProfileLine, validateProfile } from "./profile/index.ts";
export type { ChannelName } from "./templates/index.ts";
export type { View } from "./view/index.ts";
/** For the pages a link leads to (payment, unsubscribe): checked against the same keys, rotated ones included. */
export { type SigningKeys, parseSigningKeys } from "./core/index.ts";
export { type PayClaims, verifyCustomerToken, verifyLink } from "./view/index.ts";
