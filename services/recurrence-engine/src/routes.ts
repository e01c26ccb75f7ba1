import { PARKED_EVENTS_ROUTES } from './parking/parked-events.routes.js';
import { TASK_EVENTS_ROUTES } from './subscription/task-events.routes.js';

/**
 * The engine's route table: app.ts mounts it, with a 405 and `Allow` for every other method. A new
 * route goes into its feature's `*.routes.ts`.
 */
export const ENGINE_ROUTES = [...TASK_EVENTS_ROUTES, ...PARKED_EVENTS_ROUTES];
