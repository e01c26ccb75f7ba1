import { routeFor, type SecuritySchemeDoc } from '@todo/service-runtime';
import type { AuthService } from './auth/auth.service.js';
import type { PreviewService } from './recurrence/preview.service.js';
import type { TaskStreams } from './stream/task-streams.js';
import type { TasksService } from './tasks/tasks.service.js';

/** What task-api's route handlers reach: services, never the database or Express. */
export interface ApiDeps {
  auth: AuthService;
  tasks: TasksService;
  preview: PreviewService;
  /** The live stream; absent in an app built without one (`GET /api/tasks/stream` answers 503). */
  streams?: TaskStreams | undefined;
  /** The document `/openapi.json` serves, built once at start-up. */
  openApiDocument: () => unknown;
}

/** `route({ ... })` declares one entry of task-api's route table (routes.ts). */
export const route = routeFor<ApiDeps>();

/** The one scheme task-api's routes name: `Authorization: Bearer <access token>`. */
export const SECURITY_SCHEMES: Record<'bearer', SecuritySchemeDoc> = {
  bearer: {
    id: 'bearerAuth',
    unauthenticated: 'Missing, invalid or expired bearer token, or its account no longer exists',
  },
};
