import express, { Router, type ErrorRequestHandler, type Response } from 'express';
import { DAPR_STATUS, type DaprStatus } from '@todo/contracts';
import type { EventDelivery } from './deliver-event.js';

const reply = (res: Response, status: DaprStatus) => {
  res.status(200).json({ status });
};

/**
 * The subscription route for `task-events`. Every outcome is an explicit Dapr status; nothing is
 * left to a thrown error, and the route never answers 404.
 */
export function taskEventsRouter(deliver: EventDelivery): Router {
  const router = Router();
  router.use(
    express.json({ type: ['application/json', 'application/cloudevents+json'], limit: '1mb' }),
  );

  router.post('/', async (req, res) => {
    try {
      const { status } = await deliver(req.body, res.locals.ctx.log);
      reply(res, status);
    } catch (error) {
      // deliver answers every outcome itself; this is a bug's safety net, not a path.
      res.locals.ctx.log.error('event delivery failed unexpectedly, asking Dapr to retry', {
        err: error,
      });
      reply(res, DAPR_STATUS.retry);
    }
  });

  // A body Dapr could not have produced (malformed JSON, too large) will never parse: drop it.
  const bodyErrors: ErrorRequestHandler = (err, _req, res, next) => {
    if (
      err &&
      typeof err === 'object' &&
      'type' in err &&
      typeof err.type === 'string' &&
      err.type.startsWith('entity.')
    ) {
      res.locals.ctx.log.warn('dropping unreadable event body', { reason: err.type });
      reply(res, DAPR_STATUS.drop);
      return;
    }
    next(err);
  };
  router.use(bodyErrors);
  return router;
}
