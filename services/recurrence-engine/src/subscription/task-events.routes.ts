import express, { type ErrorRequestHandler } from 'express';
import { z } from 'zod';
import { DAPR_STATUS, RECURRENCE_ENGINE_EVENTS_ROUTE } from '@todo/contracts';
import { jsonResponse, type Logger } from '@todo/service-runtime';
import { route, type EngineDeps } from '../engine-route.js';
import { isBulkRequest, MAX_BULK_BODY_BYTES, readBulkRequest } from './bulk-request.js';

const statusSchema = z.enum(Object.values(DAPR_STATUS));
const daprAnswerSchema = z.union([
  z.object({ status: statusSchema }),
  z.object({ statuses: z.array(z.object({ entryId: z.string(), status: statusSchema })) }),
]);

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
    summary:
      'A task event from the `task-events` topic, as a CloudEvent, or a bulk delivery of several',
    tags: ['dapr'],
    security: 'appToken',
    // Its own parser: CloudEvents media types, and an unreadable body is a DROP, never a 4xx. The
    // envelope is validated by deliver, whose every outcome is a Dapr status (never a 404). The
    // limit is the largest bulk delivery's (bulk-request.ts).
    use: [
      express.json({
        type: ['application/json', 'application/cloudevents+json'],
        limit: MAX_BULK_BODY_BYTES,
      }),
      dropUnreadableBodies,
    ],
    responses: {
      200: jsonResponse(
        daprAnswerSchema,
        'What Dapr should do with the event (`status`), or with each entry of a bulk delivery (`statuses`)',
      ),
    },
    handler: async (_input, { deps, req, res }) => {
      // With bulkSubscribe on, daprd sends a batch to the same route (one route keeps a rolling
      // upgrade safe both ways; README): every entry gets a status, never the single shape.
      if (isBulkRequest(req.body)) return deliverBulk(req.body, deps, res.locals.ctx.log);
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

async function deliverBulk(body: { entries: unknown[] }, deps: EngineDeps, log: Logger) {
  const { entries, deferred, whole } = readBulkRequest(body);
  const retryAll = (ids: string[]) =>
    ids.map((entryId) => ({ entryId, status: DAPR_STATUS.retry }));
  if (deferred.length > 0)
    log.warn('bulk delivery larger than the engine handles at once; the rest is retried', {
      entries: entries.length + deferred.length,
      deferred: deferred.length,
    });
  try {
    const answers = await deps.deliverBatch(entries, log, whole);
    return {
      statuses: [
        ...answers.map((answer, i) => ({ entryId: entries[i]!.entryId, status: answer.status })),
        ...retryAll(deferred),
      ],
    };
  } catch (error) {
    // deliverBatch answers every outcome itself; this is a bug's safety net, not a path.
    log.error('bulk delivery failed unexpectedly, asking Dapr to retry', { err: error });
    return { statuses: retryAll([...entries.map((entry) => entry.entryId), ...deferred]) };
  }
}
