import { randomUUID } from 'node:crypto';
import express, { Router, type ErrorRequestHandler, type Response } from 'express';
import type { z } from 'zod';
import {
  cloudEventEnvelopeSchema,
  TASK_EVENT_TYPES,
  taskCompletedEventSchema,
} from '@todo/contracts';
import { fieldIssues } from '@todo/service-runtime';
import type { NextOccurrenceHandler } from '../occurrences/create-next-occurrence.js';
import { DAPR_STATUS, type DaprStatus } from './dapr-status.js';

const KNOWN_TYPES = new Set<string>(Object.values(TASK_EVENT_TYPES));

const reply = (res: Response, status: DaprStatus) => {
  res.status(200).json({ status });
};

/**
 * The subscription route for `task-events`. Every outcome is an explicit Dapr status; nothing is
 * left to a thrown error, and the route never answers 404.
 */
export function taskEventsRouter(handleCompleted: NextOccurrenceHandler): Router {
  const router = Router();
  router.use(
    express.json({ type: ['application/json', 'application/cloudevents+json'], limit: '1mb' }),
  );

  router.post('/', async (req, res) => {
    const log = res.locals.ctx.log;
    const dropInvalid = (error: z.ZodError) => {
      const problems = fieldIssues(error).map((i) => `${i.field}: ${i.message}`);
      log.warn('dropping invalid event', { eventId: req.body?.id, type: req.body?.type, problems });
      reply(res, DAPR_STATUS.drop);
    };
    const envelope = cloudEventEnvelopeSchema.safeParse(req.body);
    if (!envelope.success) {
      dropInvalid(envelope.error);
      return;
    }
    const { id: eventId, type, data, traceparent } = envelope.data;
    if (type !== TASK_EVENT_TYPES.completed) {
      // Only completions concern the engine. The other half of the traffic (created, updated,
      // deleted, series ended) is acknowledged without validating its data, which is the
      // producers' contract with their own consumers; a type this version does not know (a newer
      // producer's) is not ours to dead-letter either.
      if (KNOWN_TYPES.has(type))
        log.debug('event needs nothing from the engine', { eventId, type });
      else log.info('ignoring unknown event type', { eventId, type });
      reply(res, DAPR_STATUS.success);
      return;
    }
    const completed = taskCompletedEventSchema.safeParse({ type, data });
    if (!completed.success) {
      dropInvalid(completed.error);
      return;
    }
    const event = { id: eventId, ...completed.data };
    const eventLog = log.child({ eventId, eventType: type });
    try {
      const result = await handleCompleted({
        id: event.id,
        data: event.data,
        traceparent: typeof traceparent === 'string' ? traceparent : undefined,
      });
      if (result.kind === 'invalid') {
        eventLog.warn('dropping event that can never be processed', { reason: result.reason });
        reply(res, DAPR_STATUS.drop);
        return;
      }
      eventLog.info('task completion handled', {
        outcome: result.outcome,
        taskId: event.data.task_id,
        seriesId: event.data.series_id,
        ...(result.childId ? { childId: result.childId, dueAt: result.dueAt } : {}),
      });
      reply(res, DAPR_STATUS.success);
    } catch (error) {
      // The database or another dependency failed: nothing was committed, so a retry is safe.
      const errorId = randomUUID();
      eventLog.error('event handling failed, asking Dapr to retry', {
        error_id: errorId,
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
