import { Router } from 'express';
import { methodNotAllowed } from './method-not-allowed.js';

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

/** `/livez`: the process answers. `/readyz`: its dependencies answer too. */
export function healthRouter(options: HealthOptions): Router {
  const router = Router();
  router.get('/livez', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (options.isShuttingDown?.()) {
      res.status(503).json({ status: 'shutting_down' });
      return;
    }
    try {
      await options.ready();
      const details = options.details
        ? await options.details().catch((error: unknown) => {
            res.locals.ctx?.log.warn('readiness details unavailable', { err: error });
            return {};
          })
        : {};
      res.json({ ...details, status: 'ready' });
    } catch (error) {
      res.locals.ctx?.log.warn('readiness check failed', { err: error });
      res.status(503).json({ status: 'unavailable' });
    }
  });
  router.all(['/livez', '/readyz'], methodNotAllowed(['GET']));
  return router;
}
