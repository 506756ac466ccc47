/**
 * The HTTP API: `buildServer(options)` returns a Fastify instance, not yet listening. Plugins such as the
 * template studio mount through `options.plugins` (or `app.register` before `listen`), protect their routes
 * with `config: { scope: "preview" }`, and may render through `app.renderPool`.
 */
export { type ApiKey, KeyRing, SCOPES, type Scope, loadKeys, newKey, parseKeys } from "./keys.ts";
export { type KeysReload, type KeysReloadOptions, reloadKeysOnChange } from "./keys-reload.ts";
export type { AuthThrottleOptions } from "./auth-throttle.ts";
export { type ReactionsOptions, type ServerOptions, buildServer } from "./server.ts";
export { type PoolOptions, RenderPool } from "./pool.ts";
export { HttpProblem } from "./problems.ts";
export { releaseAnswer } from "./routes/releases.ts";
export { MAX_JSON_DEPTH, jsonDepth } from "./json-body.ts";
export { warmUp } from "./warm-up.ts";
export { EMAIL_CSP, PAGE_CSP, securityHeaders } from "./page-security.ts";
export { type SignedInPage, Sessions, signedInPage } from "./page-sessions.ts";
export { type Asset, bundlePage, servePage } from "./page-bundle.ts";
export { auditRead } from "./audit.ts";
