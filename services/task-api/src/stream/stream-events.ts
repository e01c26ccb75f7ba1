import { isoDateTimeSchema } from '@todo/contracts';
import { z } from 'zod';
import { taskResponseSchema } from '../tasks/task.schemas.js';

/**
 * What `GET /api/tasks/stream` sends: Server-Sent Events whose `event` names the change, `id` is
 * its position in the user's change log (what a reconnect sends back as `Last-Event-ID`), and
 * `data` is one JSON object. These schemas document them (OpenAPI) and type what the stream writes.
 */

/** The changes that carry the task as the REST API returns it after the change. */
export const TASK_CHANGE_KINDS = ['created', 'updated', 'completed', 'reopened'] as const;
export type TaskChangeKind = (typeof TASK_CHANGE_KINDS)[number];

/**
 * The task a change carries: as the REST API returns it, version included, except for a change
 * recorded without one (see change-messages.ts).
 */
export const streamedTaskSchema = taskResponseSchema
  .extend({
    version: taskResponseSchema.shape.version.optional().meta({
      description:
        'As in `Task`. Absent only on a change recorded before the change log stored versions (within the retention window after an upgrade): read the task (`GET /api/tasks/{id}`) for its `ETag` before a conditional write',
    }),
  })
  .meta({
    id: 'TaskStreamTask',
    description:
      'The task after the change, as the REST API returns it (`Task`); `version` may be absent',
  });
export type StreamedTask = z.output<typeof streamedTaskSchema>;

const eventId = z.uuid().meta({ description: 'The change’s event id (the same as on Kafka)' });
const occurredAt = isoDateTimeSchema.meta({ description: 'When the change was recorded' });
const position = z
  .string()
  .regex(/^\d+$/)
  .meta({ description: 'A position in the change log: send it back as `Last-Event-ID`' });

export const taskChangeDataSchema = z
  .object({
    event_id: eventId,
    type: z.enum(TASK_CHANGE_KINDS),
    task: streamedTaskSchema,
    occurred_at: occurredAt,
  })
  .meta({ id: 'TaskStreamTaskChange' });

export const taskDeletedDataSchema = z
  .object({
    event_id: eventId,
    type: z.literal('deleted'),
    task_id: z.uuid(),
    series_id: z.uuid(),
    occurred_at: occurredAt,
  })
  .meta({ id: 'TaskStreamTaskDeleted' });

export const seriesEndedDataSchema = z
  .object({
    event_id: eventId,
    type: z.literal('series_ended'),
    series_id: z.uuid(),
    last_task_id: z.uuid(),
    reason: z.enum(['count', 'until', 'no_more_occurrences']),
    occurred_at: occurredAt,
  })
  .meta({ id: 'TaskStreamSeriesEnded' });

export const readyDataSchema = z
  .object({ type: z.literal('ready'), last_event_id: position })
  .meta({ id: 'TaskStreamReady' });

export const resetDataSchema = z
  .object({
    type: z.literal('reset'),
    reason: z.enum(['expired', 'unknown']).meta({
      description:
        '`expired`: changes after `Last-Event-ID` were pruned (older than the retention window); `unknown`: no such position',
    }),
    last_event_id: position,
  })
  .meta({ id: 'TaskStreamReset' });

export const accountDeletedDataSchema = z
  .object({ event_id: eventId, type: z.literal('account_deleted'), occurred_at: occurredAt })
  .meta({ id: 'TaskStreamAccountDeleted' });

export const signedOutDataSchema = z
  .object({ type: z.literal('signed_out'), last_event_id: position })
  .meta({ id: 'TaskStreamSignedOut' });

export type TaskChangeData = z.output<typeof taskChangeDataSchema>;
export type TaskDeletedData = z.output<typeof taskDeletedDataSchema>;
export type SeriesEndedData = z.output<typeof seriesEndedDataSchema>;
export type AccountDeletedData = z.output<typeof accountDeletedDataSchema>;
export type SignedOutData = z.output<typeof signedOutDataSchema>;

const sse = (event: z.ZodType, data: z.ZodType, description: string) =>
  z.object({ event, id: position, data }).meta({ description });

/** One event of the stream, as the OpenAPI document describes it (`data` is JSON text on the wire). */
export const taskStreamEventSchema = z
  .union([
    sse(
      z.enum(TASK_CHANGE_KINDS),
      taskChangeDataSchema,
      'A task was created (by the caller or by the recurrence engine), updated, completed or reopened',
    ),
    sse(z.literal('deleted'), taskDeletedDataSchema, 'A task was deleted'),
    sse(
      z.literal('series_ended'),
      seriesEndedDataSchema,
      'A recurring series has no next occurrence',
    ),
    sse(
      z.literal('ready'),
      readyDataSchema,
      'First event of a stream opened without Last-Event-ID',
    ),
    sse(
      z.literal('reset'),
      resetDataSchema,
      'What was missed cannot be replayed: refetch, then keep reading (the stream goes on live)',
    ),
    sse(
      z.literal('account_deleted'),
      accountDeletedDataSchema,
      'The account was deleted; the stream ends (do not reconnect)',
    ),
    sse(
      z.literal('signed_out'),
      signedOutDataSchema,
      'The session ended (logout, password change, refresh-token reuse, its end of life); the stream ends without `retry:` (do not reconnect with this session: sign in again, then resume from this id)',
    ),
  ])
  .meta({ id: 'TaskStreamEvent' });
