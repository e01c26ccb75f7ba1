import type { z } from 'zod';
import {
  cloudEventEnvelopeSchema,
  TASK_EVENT_TYPES,
  taskCompletedEventSchema,
} from '@todo/contracts';
import { fieldIssues, type Logger } from '@todo/service-runtime';
import type { CompletedEvent } from '../occurrences/create-next-occurrence.js';

const KNOWN_TYPES = new Set<string>(Object.values(TASK_EVENT_TYPES));

/**
 * Event ids key the engine's bookkeeping, so one that could not be stored (a NUL byte, an index
 * entry too large) would fail every delivery before it could be counted. Ours and Dapr's are
 * UUIDs; anything printable up to 200 characters is accepted.
 */
const RECORDABLE_EVENT_ID = /^[\x21-\x7e]{1,200}$/;

const problemsOf = (error: z.ZodError) =>
  fieldIssues(error).map((issue) => `${issue.field}: ${issue.message}`);
const attribute = (body: unknown, name: string) =>
  body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;

/** What a delivered CloudEvent is, decided from the event alone (no database). */
export type ReadEvent =
  /** Nothing to park it under (no usable id): dropped. */
  | { kind: 'unusable'; detail: string }
  /** Not a completion: nothing for the engine to do. */
  | { kind: 'ignored' }
  /** A completion that can never be processed: parked as invalid, and dropped. */
  | { kind: 'invalid'; eventId: string; type: string; reason: string }
  | { kind: 'completion'; event: CompletedEvent };

/**
 * The checks every delivery starts with, in this order (shared by the single and the bulk
 * route): the envelope, its id, its type (only completions concern the engine), then the
 * completion's data. Logs what it drops or ignores.
 */
export function readEvent(body: unknown, log: Logger): ReadEvent {
  const envelope = cloudEventEnvelopeSchema.safeParse(body);
  if (!envelope.success) {
    const problems = problemsOf(envelope.error);
    log.warn('dropping invalid event', {
      eventId: attribute(body, 'id'),
      type: attribute(body, 'type'),
      problems,
    });
    return { kind: 'unusable', detail: problems.join('; ') };
  }
  const { id: eventId, type, data, traceparent } = envelope.data;
  if (!RECORDABLE_EVENT_ID.test(eventId)) {
    log.warn('dropping event whose id cannot be recorded', { eventId: eventId.slice(0, 64), type });
    return { kind: 'unusable', detail: 'unrecordable event id' };
  }
  if (type !== TASK_EVENT_TYPES.completed) {
    // Only completions concern the engine. The other half of the traffic (created, updated,
    // deleted, series ended) is acknowledged without validating its data, which is the
    // producers' contract with their own consumers; a type this version does not know (a newer
    // producer's) is not ours to dead-letter either.
    if (KNOWN_TYPES.has(type)) log.debug('event needs nothing from the engine', { eventId, type });
    else log.info('ignoring unknown event type', { eventId, type });
    return { kind: 'ignored' };
  }
  const completed = taskCompletedEventSchema.safeParse({ type, data });
  if (!completed.success) {
    return { kind: 'invalid', eventId, type, reason: problemsOf(completed.error).join('; ') };
  }
  return {
    kind: 'completion',
    event: {
      id: eventId,
      data: completed.data.data,
      traceparent: typeof traceparent === 'string' ? traceparent : undefined,
    },
  };
}
