import { z } from 'zod';
import { PUBSUB_NAME, TASK_EVENTS_TOPIC } from './names.js';
import { taskEventSchema, type TaskEvent } from './task-events.js';

/**
 * The CloudEvents 1.0 envelope Dapr delivers to subscribers. Dapr adds its own attributes
 * (topic, pubsubname, traceparent, ...), so unknown envelope attributes are allowed; the `type`
 * and `data` inside are checked strictly against the task event union.
 */
export const cloudEventEnvelopeSchema = z.looseObject({
  specversion: z.literal('1.0'),
  id: z.string().min(1),
  source: z.string().min(1),
  type: z.string().min(1),
  data: z.unknown(),
});

export type TaskCloudEvent = TaskEvent & {
  id: string;
  source: string;
  specversion: '1.0';
  [attribute: string]: unknown;
};

export type ParseTaskCloudEventResult =
  { success: true; event: TaskCloudEvent } | { success: false; error: z.ZodError };

/** Validates a delivered CloudEvent; never throws. */
export function parseTaskCloudEvent(body: unknown): ParseTaskCloudEventResult {
  const envelope = cloudEventEnvelopeSchema.safeParse(body);
  if (!envelope.success) return { success: false, error: envelope.error };
  const event = taskEventSchema.safeParse({ type: envelope.data.type, data: envelope.data.data });
  if (!event.success) return { success: false, error: event.error };
  return { success: true, event: { ...envelope.data, ...event.data } as TaskCloudEvent };
}

export interface CloudEventInput {
  id: string;
  source: string;
  type: string;
  data: unknown;
  /** When the event happened (ISO 8601). */
  time: string;
  traceparent?: string | null | undefined;
}

/**
 * The structured CloudEvent a subscriber receives for a task event, with the attributes Dapr adds
 * on delivery (topic, pubsubname). Used by the direct transport that stands in for Dapr when no
 * sidecar runs, and by tests that deliver events the way Dapr does.
 */
export function toDeliveredCloudEvent(input: CloudEventInput): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: input.id,
    source: input.source,
    type: input.type,
    datacontenttype: 'application/json',
    time: input.time,
    topic: TASK_EVENTS_TOPIC,
    pubsubname: PUBSUB_NAME,
    ...(input.traceparent ? { traceparent: input.traceparent } : {}),
    data: input.data,
  };
}
