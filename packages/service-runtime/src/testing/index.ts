export * from './spawn-service.js';
