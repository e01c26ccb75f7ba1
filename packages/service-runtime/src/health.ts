import type { Router } from 'express';
import { z } from 'zod';
import { mountRoutes } from './routes/mount-routes.js';
import { jsonResponse as json, Reply, routeFor, type Route } from './routes/route-table.js';

export interface HealthOptions {
  /** Resolves when the service can do its job (e.g. the database answers); throws otherwise. */
  ready: () => Promise<void>;
  /** While shutting down, readiness fails so the load balancer stops sending traffic. */
  isShuttingDown?: () => boolean;
  /**
   * Figures an operator should see on `/readyz` (e.g. parked events). Informational only: a
   * failure to gather them leaves them out and never fails readiness.
   */
  details?: () => Promise<Record<string, unknown>>;
}

const route = routeFor<HealthOptions, never>();

/** `/livez`: the process answers. `/readyz`: its dependencies answer too. */
export const HEALTH_ROUTES: ReadonlyArray<Route<HealthOptions, never>> = [
  route({
    method: 'get',
    path: '/livez',
    operationId: 'checkLiveness',
    summary: 'Process is alive',
    tags: ['health'],
    security: 'public',
    responses: { 200: json(z.object({ status: z.literal('ok') }), 'Alive') },
    handler: () => ({ status: 'ok' }),
  }),
  route({
    method: 'get',
    path: '/readyz',
    operationId: 'checkReadiness',
    // Every service here reads DATABASE_URL (service-env.ts); its database is what `ready` checks.
    summary: 'Database reachable',
    tags: ['health'],
    security: 'public',
    responses: {
      200: json(
        z.looseObject({ status: z.literal('ready') }).meta({
          description: 'May carry figures for operators beside `status` (e.g. `parked_events`)',
        }),
        'Ready',
      ),
      503: json(z.object({ status: z.enum(['shutting_down', 'unavailable']) }), 'Not ready'),
    },
    handler: async (_input, { deps, res }) => {
      if (deps.isShuttingDown?.()) return new Reply(503, { status: 'shutting_down' });
      try {
        await deps.ready();
      } catch (error) {
        res.locals.ctx?.log.warn('readiness check failed', { err: error });
        return new Reply(503, { status: 'unavailable' });
      }
      const details = deps.details
        ? await deps.details().catch((error: unknown) => {
            res.locals.ctx?.log.warn('readiness details unavailable', { err: error });
            return {};
          })
        : {};
      return { ...details, status: 'ready' };
    },
  }),
];

export function healthRouter(options: HealthOptions): Router {
  return mountRoutes(HEALTH_ROUTES, { deps: options });
}
