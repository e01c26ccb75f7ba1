import express, { type ErrorRequestHandler } from 'express';
import { z } from 'zod';
import { DAPR_STATUS, RECURRENCE_ENGINE_EVENTS_ROUTE } from '@todo/contracts';
import { jsonResponse } from '@todo/service-runtime';
import { route } from '../engine-route.js';

const daprAnswerSchema = z.object({ status: z.enum(Object.values(DAPR_STATUS)) });

/** A body Dapr could not have produced (malformed JSON, too large) will never parse: drop it. */
const dropUnreadableBodies: ErrorRequestHandler = (err, _req, res, next) => {
  if (
    err &&
    typeof err === 'object' &&
    'type' in err &&
    typeof err.type === 'string' &&
    err.type.startsWith('entity.')
  ) {
    res.locals.ctx.log.warn('dropping unreadable event body', { reason: err.type });
    res.status(200).json({ status: DAPR_STATUS.drop });
    return;
  }
  next(err);
};

export const TASK_EVENTS_ROUTES = [
  route({
    // Subscriptions are declared as Dapr Subscription resources (infra/), not programmatically.
    method: 'get',
    path: '/dapr/subscribe',
    operationId: 'listSubscriptions',
    summary: 'Programmatic subscriptions: none',
    tags: ['dapr'],
    security: 'appToken',
    responses: { 200: jsonResponse(z.array(z.never()), 'No subscriptions') },
    handler: () => [],
  }),
  route({
    method: 'post',
    path: RECURRENCE_ENGINE_EVENTS_ROUTE,
    operationId: 'deliverTaskEvent',
    summary: 'A task event from the `task-events` topic, as a CloudEvent',
    tags: ['dapr'],
    security: 'appToken',
    // Its own parser: CloudEvents media types, and an unreadable body is a DROP, never a 4xx. The
    // envelope is validated by deliver, whose every outcome is a Dapr status (never a 404).
    use: [
      express.json({ type: ['application/json', 'application/cloudevents+json'], limit: '1mb' }),
      dropUnreadableBodies,
    ],
    responses: { 200: jsonResponse(daprAnswerSchema, 'What Dapr should do with the event') },
    handler: async (_input, { deps, req, res }) => {
      try {
        const { status } = await deps.deliver(req.body, res.locals.ctx.log);
        return { status };
      } catch (error) {
        // deliver answers every outcome itself; this is a bug's safety net, not a path.
        res.locals.ctx.log.error('event delivery failed unexpectedly, asking Dapr to retry', {
          err: error,
        });
        return { status: DAPR_STATUS.retry };
      }
    },
  }),
];
