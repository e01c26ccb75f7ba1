import { AUTH_ROUTES } from './auth/auth.routes.js';
import { OPENAPI_ROUTES } from './openapi/openapi.routes.js';
import { RECURRENCE_ROUTES } from './recurrence/recurrence.routes.js';
import { STREAM_ROUTES } from './stream/stream.routes.js';
import { TASK_ROUTES } from './tasks/tasks.routes.js';

/**
 * task-api's route table: app.ts mounts it (routes, 405s) and openapi-document.ts documents it.
 * A new route goes into its feature's `*.routes.ts`; nothing else declares it.
 */
export const API_ROUTES = [...AUTH_ROUTES, ...TASK_ROUTES, ...STREAM_ROUTES, ...RECURRENCE_ROUTES];

export { OPENAPI_ROUTES };
