export * from './logger.js';
export * from './app-error.js';
export * from './validation.js';
export * from './request-context.js';
export * from './error-handler.js';
export * from './health.js';
export * from './shutdown.js';
export * from './env.js';
