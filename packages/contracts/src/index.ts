export * from './names.js';
export * from './dapr-status.js';
export * from './task-fields.js';
export * from './task-events.js';
export * from './cloud-event.js';
export * from './account-events.js';
