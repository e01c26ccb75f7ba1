export * from './spawn-service.js';
export * from './raw-http.js';
export * from './child-process.js';
export * from './capture-logs.js';
export * from './eventually.js';
export { recordSpans, type ReadableSpan } from '@todo/telemetry/testing';
