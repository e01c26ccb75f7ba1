/** What other workspace packages (the end-to-end and flow tests) use to run task-api in-process. */
export { createApp, type AppDeps } from './app.js';
export { createAccessTokens, type AccessTokenConfig } from './auth/access-tokens.js';
export { createPasswordHasher } from './auth/password-hasher.js';
