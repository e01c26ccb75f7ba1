import { Router } from 'express';
import { methodNotAllowed } from './method-not-allowed.js';

export interface HealthOptions {
  /** Resolves when the service can do its job (e.g. the database answers); throws otherwise. */
  ready: () => Promise<void>;
  /** While shutting down, readiness fails so the load balancer stops sending traffic. */
  isShuttingDown?: () => boolean;
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
      res.json({ status: 'ready' });
    } catch (error) {
      res.locals.ctx?.log.warn('readiness check failed', { err: error });
      res.status(503).json({ status: 'unavailable' });
    }
  });
  router.all(['/livez', '/readyz'], methodNotAllowed(['GET']));
  return router;
}
